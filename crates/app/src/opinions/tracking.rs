//! What the resident sees with the tracking code (查询码), and the resident's rating (评价).

use super::{RESIDENT_ROLE, role_label};
use chrono::NaiveDate;
use domain::opinion::{
    ActionKind, CaseState, Procedure, Rating, Route, Standing, next_state, parse_tracking_code,
    unknown_codes_per_client,
};
use store::opinions::CaseRecord;
use store::opinions::StepWrite;

use crate::{App, AppError};

/// A case as the resident's tracking page shows it: plain words, dated steps, roles not names.
#[derive(Debug, Clone)]
pub struct PublicCase {
    pub tracking_code: String,
    pub room_name: String,
    pub received_on: NaiveDate,
    pub state: CaseState,
    pub route: Option<Route>,
    pub told: Option<(Procedure, String)>,
    /// (date, what happened, what the resident may read of it)
    pub steps: Vec<(NaiveDate, String, Option<String>)>,
    pub rating: Option<Rating>,
    pub may_rate: bool,
}

impl PublicCase {
    /// Whether a 不满意 rating goes to the street lead for review (not for statutory procedures or
    /// petition matters).
    pub fn reviewed_if_dissatisfied(&self) -> bool {
        self.route.is_some_and(Route::reviewable)
    }
}

fn beijing_date(at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    at.with_timezone(&crate::clock::beijing()).date_naive()
}

impl App {
    /// A case as its tracking code shows it to the resident; unknown codes count towards a limit per
    /// address, so codes cannot be guessed.
    pub async fn track(&self, raw_code: &str, client: Option<&str>) -> Result<PublicCase, AppError> {
        let case = self.tracked_case(raw_code, client).await?;
        self.public_case(case).await
    }

    /// The case a tracking code opens; unknown codes count towards the per-address limit (429 after).
    async fn tracked_case(&self, raw_code: &str, client: Option<&str>) -> Result<CaseRecord, AppError> {
        let now = self.clock().now();
        let keys: Vec<_> = client
            .map(|ip| (format!("track-ip:{ip}"), unknown_codes_per_client()))
            .into_iter()
            .collect();
        // Every lookup is counted before it runs (so parallel guesses cannot overshoot the limit);
        // one that finds its case is taken back, so only unknown codes count.
        self.count_attempt(&keys, now).await?;
        let found = match parse_tracking_code(raw_code) {
            Some(code) => self.store().case_by_code(&code).await?,
            None => None,
        };
        let Some(case) = found else {
            return Err(AppError::NotFound("没有找到这个查询码，请核对后再试".into()));
        };
        self.give_back_attempts(&keys).await?;
        Ok(case)
    }

    /// What the resident's tracking page shows of `case`.
    async fn public_case(&self, case: CaseRecord) -> Result<PublicCase, AppError> {
        let steps = self.store().case_steps(case.id).await?;
        let public_steps = steps
            .iter()
            .map(|s| {
                let who = role_label(&s.actor_role);
                let (what, detail) = match s.action {
                    ActionKind::ScreenOut => ("不予受理，已告知法定途径".to_owned(), s.text.clone()),
                    ActionKind::AnswerOnSpot => (format!("{who}当场答复"), s.text.clone()),
                    ActionKind::ReferToStreet => ("转街道（镇）负责人研究办理".to_owned(), None),
                    ActionKind::SendToPetition => ("按信访事项转信访部门办理".to_owned(), None),
                    // 请某某委员跟进: members' names are public (room pages, posters).
                    ActionKind::AssignMember => (
                        format!("工作室{}", s.text.as_deref().unwrap_or("请委员跟进")),
                        None,
                    ),
                    ActionKind::Instruct | ActionKind::ForwardToDistrict => (
                        format!(
                            "交{}办理",
                            s.department.as_ref().map_or("职能部门", |d| d.1.as_str())
                        ),
                        None,
                    ),
                    ActionKind::RecordHandling => ("承办部门已办理".to_owned(), s.text.clone()),
                    ActionKind::FeedbackToMember => ("信访部门已向委员反馈办理情况".to_owned(), None),
                    ActionKind::ConfirmFeedback => ("委员已确认办理情况".to_owned(), None),
                    ActionKind::DraftProposal => ("委员据此形成提案".to_owned(), s.title.clone()),
                    ActionKind::DraftSocialReport => ("委员据此形成社情民意信息".to_owned(), s.title.clone()),
                    ActionKind::Close => ("已办结".to_owned(), s.text.clone()),
                    ActionKind::RateDissatisfied => {
                        ("您评价不满意，已转镇（街）负责人复核".to_owned(), s.text.clone())
                    }
                    ActionKind::ReviewReopen => (
                        format!(
                            "镇（街）负责人复核后，交{}重新办理",
                            s.department.as_ref().map_or("职能部门", |d| d.1.as_str())
                        ),
                        None,
                    ),
                    ActionKind::ReviewUphold => ("镇（街）负责人复核后维持办结".to_owned(), s.text.clone()),
                };
                (s.taken_at, what, detail)
            })
            .collect::<Vec<_>>();
        // What became of the proposals and 社情民意信息 written from it, in the order it happened.
        let mut public_steps = public_steps;
        public_steps.extend(self.proposal_lines(case.id).await?);
        public_steps.sort_by_key(|(at, _, _)| *at);
        let public_steps = public_steps
            .into_iter()
            .map(|(at, what, detail)| (beijing_date(at), what, detail))
            .collect();
        Ok(PublicCase {
            tracking_code: case.tracking_code.clone(),
            room_name: case.room_name.clone(),
            received_on: beijing_date(case.received_at),
            state: case.state,
            route: case.route,
            told: case.procedure.zip(case.told_body.clone()),
            steps: public_steps,
            rating: case.rating,
            may_rate: case.state == CaseState::Closed
                && case.rated_at.is_none()
                && case
                    .closed_at
                    .is_some_and(|closed| domain::opinion::rating_open(closed, self.clock().now())),
        })
    }

    /// The resident's rating of a closed case (满意度), once.
    pub async fn rate_case(
        &self,
        raw_code: &str,
        rating: &str,
        comment: Option<&str>,
        client: Option<&str>,
    ) -> Result<PublicCase, AppError> {
        let case = self.tracked_case(raw_code, client).await?;
        let rating = Rating::parse(rating).ok_or_else(|| {
            AppError::invalid(
                "rating",
                "评价应为 satisfied（满意）、basically_satisfied（基本满意）或 dissatisfied（不满意）",
            )
        })?;
        let comment = crate::members::optional_text("comment", "评价说明", comment.unwrap_or_default(), 500)?;
        if rating == Rating::Dissatisfied && comment.is_none() {
            return Err(AppError::invalid(
                "comment",
                "请说明不满意的原因，镇（街）负责人会据此复核",
            ));
        }
        if case.rated_at.is_some() {
            return Err(AppError::Conflict("这件事已经评价过了，感谢您的反馈".into()));
        }
        let Some(closed_at) = case.closed_at.filter(|_| case.state == CaseState::Closed) else {
            return Err(AppError::Conflict("案件办结后才能评价".into()));
        };
        if !domain::opinion::rating_open(closed_at, self.clock().now()) {
            return Err(AppError::Conflict(format!(
                "办结已超过 {} 天，不能再评价；如有新情况，请重新反映",
                domain::opinion::RATING_WINDOW_DAYS
            )));
        }
        // 不满意 goes back to the street lead for review (复核), with the resident's reason; on a route
        // the street does not review (statutory procedures, petitions) the rating is recorded only.
        let resident = Standing {
            resident: true,
            ..Standing::NONE
        };
        let review = match next_state(case.state, case.route, ActionKind::RateDissatisfied, resident) {
            Ok((to_state, route)) if rating == Rating::Dissatisfied => Some(StepWrite {
                text: comment.clone(),
                due_on: self.due_for(to_state, self.clock().today()).await?,
                ..StepWrite::new(ActionKind::RateDissatisfied, RESIDENT_ROLE, to_state, route)
            }),
            _ => None,
        };
        if !self
            .store()
            .rate_case(
                &case,
                rating,
                comment.as_deref(),
                review.as_ref(),
                self.clock().now(),
            )
            .await?
        {
            return Err(AppError::Conflict("这件事已经评价过了，感谢您的反馈".into()));
        }
        let rated = self
            .store()
            .case(case.id)
            .await?
            .ok_or_else(|| AppError::Internal("rated case missing".into()))?;
        if review.is_some() {
            self.notify_arrival(&rated).await;
        }
        self.public_case(rated).await
    }
}
