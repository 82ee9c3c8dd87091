//! Proposals (提案) and 社情民意信息 members write from residents' opinions (R13.4), and what became of
//! them. A draft comes from a case's `draft_proposal` / `draft_social_report` step, or from a group of
//! concentrated opinions with the group's cases; the member submits it with the CPPCC's number; the
//! member or the district's staff record whether it was accepted and the handling unit's answer; each
//! linked case's tracking page says so (`App::track`).

use std::collections::{HashMap, HashSet};

use domain::authz::{Role, Scope};
use domain::proposal::{self, ProposalKind, ProposalStatus, ProposalStep};
use store::proposals::{NewProposal, ProposalFilter, ProposalRecord, ProposalStepWrite};

use crate::access::{Acting, forbidden, not_visible};
use crate::{App, AppError};

/// A draft with its cases and what the caller may do now.
#[derive(Debug, Clone)]
pub struct ProposalView {
    pub record: ProposalRecord,
    pub member_name: String,
    pub status_label: &'static str,
    pub cases: Vec<LinkedCase>,
    pub actions: Vec<ProposalStep>,
}

/// A case a draft came from, as the draft's page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedCase {
    pub id: i64,
    pub room_name: String,
    pub received_on: chrono::NaiveDate,
    /// Whether the caller may open the case (a member opens only the cases naming them).
    pub opens: bool,
}

/// A later step on a draft as the API and the page forms send it: the action and the fields it may
/// carry. `App::proposal_step` checks who may take it before it reads the fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProposalInput {
    /// `submit`, `accept`, `decline` or `answer`.
    pub action: String,
    /// The CPPCC's number (a submit).
    pub number: Option<String>,
    /// Why not accepted (a decline).
    pub reason: Option<String>,
    /// The handling unit and its answer (an answer).
    pub unit: Option<String>,
    pub text: Option<String>,
}

impl ProposalInput {
    fn step(&self) -> Result<ProposalStep, AppError> {
        ProposalStep::parse(self.action.trim())
            .filter(|s| ProposalStep::LATER.contains(s))
            .ok_or_else(|| {
                AppError::invalid(
                    "action",
                    "操作应为 submit（提交）、accept（立案/采用）、decline（不予立案/未采用）、answer（记录答复）或 withdraw（撤回草稿）",
                )
            })
    }

    /// The fields `step` records, checked.
    fn write(&self, step: ProposalStep, next: ProposalStatus) -> Result<ProposalStepWrite, AppError> {
        let invalid = |err: domain::FieldError| AppError::invalid(err.field, err.message);
        let text = |raw: &Option<String>, field, what| {
            proposal::check_answer(raw.as_deref().unwrap_or_default(), field, what).map_err(invalid)
        };
        let mut write = ProposalStepWrite {
            step,
            next,
            number: None,
            unit: None,
            detail: None,
        };
        match step {
            ProposalStep::Submit => {
                write.number = Some(
                    proposal::check_number(self.number.as_deref().unwrap_or_default()).map_err(invalid)?,
                );
            }
            ProposalStep::Decline => {
                write.detail = Some(text(&self.reason, "reason", "不予立案（未采用）的理由")?);
            }
            ProposalStep::Answer => {
                write.unit =
                    Some(proposal::check_unit(self.unit.as_deref().unwrap_or_default()).map_err(invalid)?);
                write.detail = Some(text(&self.text, "text", "答复内容")?);
            }
            ProposalStep::Accept | ProposalStep::Draft | ProposalStep::Withdraw => {}
        }
        Ok(write)
    }
}

/// A draft written on a case is part of that case's record (its step says so to the resident); only a
/// draft from a group may be set aside.
fn withdrawable(step: ProposalStep, record: &ProposalRecord) -> bool {
    step != ProposalStep::Withdraw || record.origin_case_id.is_none()
}

fn may_take(acting: &Acting, step: ProposalStep, record: &ProposalRecord) -> bool {
    match acting {
        Acting::Operator => false,
        Acting::Account(actor) => proposal::may_take(actor, step, record.member_id, record.district_id),
    }
}

fn may_read(acting: &Acting, record: &ProposalRecord) -> bool {
    match acting {
        Acting::Operator => true,
        Acting::Account(actor) => proposal::may_read(actor, record.member_id, record.district_id),
    }
}

impl App {
    /// Whether the caller has drafts to see (the workbench links them).
    pub fn sees_proposals(acting: &Acting) -> bool {
        match acting {
            Acting::Operator => true,
            Acting::Account(actor) => {
                matches!(actor.role, Role::CityOffice | Role::DistrictStaff | Role::Member)
            }
        }
    }

    /// Whether the caller writes drafts (members do; the concentrated opinions' page offers it).
    pub fn writes_proposals(acting: &Acting) -> bool {
        matches!(acting.scope(), Scope::Member { .. })
    }

    async fn proposal_views(
        &self,
        acting: &Acting,
        records: Vec<ProposalRecord>,
    ) -> Result<Vec<ProposalView>, AppError> {
        let case_ids: Vec<i64> = records
            .iter()
            .flat_map(|r| r.case_ids.iter().copied())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let cases: HashMap<i64, store::opinions::CaseRecord> = self
            .store()
            .cases_by_ids(&case_ids)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let mut members: HashMap<i64, String> = HashMap::new();
        for member_id in records.iter().map(|r| r.member_id).collect::<HashSet<_>>() {
            if let Some(member) = self.store().member_record(member_id).await? {
                members.insert(member_id, member.name);
            }
        }
        let own_member = match acting.scope() {
            Scope::Member { member_id, .. } => Some(member_id),
            _ => None,
        };
        let beijing = crate::clock::beijing();
        Ok(records
            .into_iter()
            .map(|record| ProposalView {
                member_name: members.get(&record.member_id).cloned().unwrap_or_default(),
                status_label: record.status.label_zh(record.kind),
                cases: record
                    .case_ids
                    .iter()
                    .filter_map(|id| cases.get(id))
                    .map(|case| LinkedCase {
                        id: case.id,
                        room_name: case.room_name.clone(),
                        received_on: case.received_at.with_timezone(&beijing).date_naive(),
                        opens: match own_member {
                            Some(member_id) => case.member.as_ref().is_some_and(|(id, _)| *id == member_id),
                            None => true,
                        },
                    })
                    .collect(),
                actions: ProposalStep::LATER
                    .into_iter()
                    .filter(|s| proposal::next_status(record.kind, record.status, *s).is_ok())
                    .filter(|s| withdrawable(*s, &record))
                    .filter(|s| may_take(acting, *s, &record))
                    .collect(),
                record,
            })
            .collect())
    }

    /// The caller's drafts: a member's own, a district's, or (the city) all; the latest moved first.
    pub async fn proposals(&self, acting: &Acting) -> Result<Vec<ProposalView>, AppError> {
        let filter = match acting.scope() {
            Scope::City if Self::sees_proposals(acting) => ProposalFilter::All,
            Scope::District { district_id } if Self::sees_proposals(acting) => {
                ProposalFilter::District(district_id)
            }
            Scope::Member { member_id, .. } => ProposalFilter::Member(member_id),
            _ => {
                return Err(AppError::Forbidden(
                    "提案和社情民意信息由委员撰写、区政协跟踪，您的账号无权查看".into(),
                ));
            }
        };
        let records = self.store().proposals(filter).await?;
        self.proposal_views(acting, records).await
    }

    /// One draft with its cases and history.
    pub async fn proposal(&self, acting: &Acting, id: i64) -> Result<ProposalView, AppError> {
        let scope = acting.scope();
        let record = self
            .store()
            .proposal(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "提案或社情民意信息"))?;
        if !may_read(acting, &record) {
            return Err(forbidden());
        }
        self.proposal_views(acting, vec![record])
            .await?
            .pop()
            .ok_or_else(|| AppError::Internal("proposal view".into()))
    }

    /// A member drafts a 提案 or 社情民意信息 from a group of opinions in the rooms they serve (the
    /// concentrated opinions' page sends the group's cases); returns its id.
    pub async fn draft_proposal(
        &self,
        acting: &Acting,
        kind: &str,
        title: &str,
        text: &str,
        case_ids: &[i64],
    ) -> Result<i64, AppError> {
        let Scope::Member { member_id, .. } = acting.scope() else {
            return Err(AppError::Forbidden("提案和社情民意信息由委员本人撰写".into()));
        };
        let kind = ProposalKind::parse(kind.trim()).ok_or_else(|| {
            AppError::invalid(
                "kind",
                "请选择撰写提案（proposal）还是社情民意信息（social_report）",
            )
        })?;
        let invalid = |err: domain::FieldError| AppError::invalid(err.field, err.message);
        let title = proposal::check_title(title).map_err(invalid)?;
        let text = proposal::check_text(text).map_err(invalid)?;
        let mut ids: Vec<i64> = case_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(AppError::invalid("case_ids", "请附上据以撰写的群众意见（案件）"));
        }
        if ids.len() > proposal::CASES_MAX {
            return Err(AppError::invalid(
                "case_ids",
                format!("一份最多附 {} 件群众意见", proposal::CASES_MAX),
            ));
        }
        let served: HashSet<i64> = self
            .store()
            .rooms_in_scope(&acting.scope())
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let cases = self.store().cases_by_ids(&ids).await?;
        let found: HashMap<i64, &store::opinions::CaseRecord> = cases.iter().map(|c| (c.id, c)).collect();
        // A case missing and a case in another room read alike: neither tells what exists elsewhere.
        if let Some(id) = ids
            .iter()
            .find(|id| found.get(id).is_none_or(|c| !served.contains(&c.room_id)))
        {
            return Err(AppError::invalid(
                "case_ids",
                format!("案件 #{id} 不是您所在工作室收到的群众意见"),
            ));
        }
        // A matter screened out (不予受理) went its statutory way, not into a proposal.
        if let Some(case) = cases
            .iter()
            .find(|c| c.route == Some(domain::opinion::Route::ScreenedOut))
        {
            return Err(AppError::invalid(
                "case_ids",
                format!("案件 #{} 已不予受理并告知法定途径，不宜写入", case.id),
            ));
        }
        // One district follows the draft (its staff record the outcome): its cases are of that district.
        let district_id = cases
            .first()
            .map(|c| c.district_id)
            .ok_or_else(|| AppError::Internal("cases checked above".into()))?;
        if cases.iter().any(|c| c.district_id != district_id) {
            return Err(AppError::invalid(
                "case_ids",
                "一份提案或社情民意信息所附的群众意见应在同一个区：请按区分别撰写",
            ));
        }
        let draft = NewProposal {
            kind,
            member_id,
            district_id,
            origin_case_id: None,
            title,
            text,
            case_ids: ids,
        };
        Ok(self
            .store()
            .create_proposal(&acting.who(), &draft, self.clock().now())
            .await?)
    }

    /// Submitted with the CPPCC's number, accepted or not, answered. Who may take the step is
    /// checked before its fields (403, then 409, then 422), as on cases.
    pub async fn proposal_step(
        &self,
        acting: &Acting,
        id: i64,
        input: &ProposalInput,
    ) -> Result<ProposalView, AppError> {
        let step = input.step()?;
        let view = self.proposal(acting, id).await?;
        let record = &view.record;
        if !may_take(acting, step, record) {
            return Err(AppError::Forbidden(match step {
                ProposalStep::Submit => "由撰写的委员本人提交".into(),
                _ => "立案、采用和答复情况由撰写的委员或所在区的区政协工作人员记录".into(),
            }));
        }
        let next = proposal::next_status(record.kind, record.status, step)
            .map_err(|refused| AppError::Conflict(refused.to_string()))?;
        if !withdrawable(step, record) {
            return Err(AppError::Conflict(
                "据单件意见形成的草稿已记入案件的办理经过，不能撤回；请修改后提交".into(),
            ));
        }
        let write = input.write(step, next)?;
        let moved = self
            .store()
            .take_proposal_step(&acting.who(), id, record.status, &write, self.clock().now())
            .await?;
        if !moved {
            return Err(AppError::Conflict("这份材料刚被他人更新，请刷新后再看".into()));
        }
        self.proposal(acting, id).await
    }

    /// What the resident's tracking page adds for the drafts linked to `case_id`: (day, words,
    /// detail), oldest first.
    pub(crate) async fn proposal_lines(
        &self,
        case_id: i64,
    ) -> Result<Vec<(chrono::DateTime<chrono::Utc>, String, Option<String>)>, AppError> {
        let mut lines = Vec::new();
        for record in self.store().proposals(ProposalFilter::Case(case_id)).await? {
            let from_this_case = record.origin_case_id == Some(case_id);
            // A draft from a group reaches the residents once it is submitted: a draft being written
            // (or left) is the member's own until then.
            if !from_this_case && matches!(record.status, ProposalStatus::Drafted | ProposalStatus::Withdrawn)
            {
                continue;
            }
            for event in &record.events {
                if let Some((what, detail)) = proposal::public_words(
                    record.kind,
                    event.step,
                    from_this_case,
                    &record.title,
                    record.reference_number.as_deref(),
                    record.handling_unit.as_deref(),
                    event.detail.as_deref(),
                ) {
                    lines.push((event.at, what, detail));
                }
            }
        }
        lines.sort_by_key(|(at, _, _)| *at);
        Ok(lines)
    }
}
