//! Citizens' opinions as stored (群众意见, R11, R13): cases, their steps, and the resident's rating. A
//! step is written only if the case is still in the state it was read in, so two people acting at once
//! cannot both move it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use domain::authz::Scope;
use domain::department::DepartmentKind;
use domain::opinion::{ActionKind, CaseState, Procedure, Rating, Route};
use domain::pii::Pii;
use domain::proposal::ProposalKind;
use sea_orm::sea_query::{Condition, NullOrdering, Query};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, Order, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{account, department, member, opinion, opinion_step, room};
use crate::error::{stored, stored_optional};
use crate::scope::{PlaceColumns, place_condition};
use crate::{Store, StoreError};

/// What an anonymised resident's name reads.
pub const ANONYMISED: &str = "（已匿名）";

/// A case as staff, departments and members see it (contact data is masked by the use case where due).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: i64,
    pub tracking_code: String,
    pub room_id: i64,
    pub room_name: String,
    pub district_id: i64,
    pub street_id: i64,
    /// `visit` (registered at a reception) or `online` (网上工作室).
    pub channel: String,
    pub content: String,
    /// The resident's name and phone (个人信息): shown only where code asks by name.
    pub contact_name: Pii<String>,
    pub contact_phone: Option<Pii<String>>,
    pub community: Option<String>,
    pub anonymous_to_departments: bool,
    /// The member responsible: who received the visitor, or the one staff named.
    pub member: Option<(i64, String)>,
    /// The activity (e.g. reception day) where it was collected.
    pub activity_id: Option<i64>,
    pub state: CaseState,
    pub route: Option<Route>,
    /// The department holding it now.
    pub department: Option<(i64, String, DepartmentKind)>,
    pub due_on: Option<NaiveDate>,
    pub procedure: Option<Procedure>,
    pub told_body: Option<String>,
    pub rating: Option<Rating>,
    pub rating_comment: Option<String>,
    /// When the current rating was given; empty again when a review reopens the case (the old rating
    /// stands until the resident rates the new result).
    pub rated_at: Option<DateTime<Utc>>,
    pub received_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// One step of a case's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseStep {
    pub action: ActionKind,
    /// The role that took it (`room_staff`, `street_lead`, …): what the public sees of who.
    pub actor_role: String,
    /// The login name of the account that took it, or what ran it (`demo`, `cli`); for the audit.
    pub actor_label: String,
    /// The account's name (姓名或单位称谓), when an account took it.
    pub actor_name: Option<String>,
    /// The department of a department's account (承办部门).
    pub actor_department: Option<String>,
    pub taken_at: DateTime<Utc>,
    pub title: Option<String>,
    pub text: Option<String>,
    pub department: Option<(i64, String)>,
    pub from_state: CaseState,
    pub to_state: CaseState,
}

/// An opinion's words, for finding concentrated opinions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpinionText {
    pub id: i64,
    pub room_id: i64,
    pub content: String,
    /// Only to take the resident's name out of quoted words (`domain::insights::redact_contact`).
    pub contact_name: Pii<String>,
    pub received_at: DateTime<Utc>,
}

/// A case to open.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub tracking_code: String,
    pub room_id: i64,
    pub district_id: i64,
    pub street_id: i64,
    pub channel: &'static str,
    pub content: String,
    /// The resident's name and phone (个人信息): shown only where code asks by name.
    pub contact_name: Pii<String>,
    pub contact_phone: Option<Pii<String>>,
    pub community: Option<String>,
    pub anonymous_to_departments: bool,
    pub member_id: Option<i64>,
    pub activity_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
}

/// A step to write and what it changes on the case.
#[derive(Debug, Clone)]
pub struct StepWrite {
    pub action: ActionKind,
    pub actor_role: &'static str,
    pub title: Option<String>,
    pub text: Option<String>,
    pub to_state: CaseState,
    pub route: Option<Route>,
    /// The department holding the case after the step (`None`: nobody).
    pub holder: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub member_id: Option<i64>,
    pub screened: Option<(Procedure, String)>,
    /// A `draft_proposal` / `draft_social_report` step keeps its draft (of this kind, by this member)
    /// as a proposal linked to the case, in the same transaction.
    pub drafts: Option<(ProposalKind, i64)>,
}

impl StepWrite {
    /// A step that carries nothing but the move itself; set the rest as the step needs.
    pub fn new(
        action: ActionKind,
        actor_role: &'static str,
        to_state: CaseState,
        route: Option<Route>,
    ) -> Self {
        Self {
            action,
            actor_role,
            title: None,
            text: None,
            to_state,
            route,
            holder: None,
            due_on: None,
            member_id: None,
            screened: None,
            drafts: None,
        }
    }
}

/// Which cases a scope sees: by place for the city, districts, streets and rooms; for a department
/// those it holds or has held (one subquery, however long its history); for a member those they
/// are responsible for.
fn scope_condition(scope: &Scope) -> Condition {
    match *scope {
        Scope::Department { department_id, .. } => Condition::any()
            .add(opinion::Column::DepartmentId.eq(department_id))
            .add(
                opinion::Column::Id.in_subquery(
                    Query::select()
                        .column(opinion_step::Column::OpinionId)
                        .from(opinion_step::Entity)
                        .and_where(opinion_step::Column::DepartmentId.eq(department_id))
                        .to_owned(),
                ),
            ),
        Scope::Member { member_id, .. } => Condition::all().add(opinion::Column::MemberId.eq(member_id)),
        _ => place_condition(scope, &case_columns()),
    }
}

/// Filters and the page of the case queue (案件列表). `page` counts from 1.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseQuery {
    pub state: Option<CaseState>,
    pub route: Option<Route>,
    pub room_id: Option<i64>,
    pub street_id: Option<i64>,
    /// Received in `[from, to)`.
    pub received: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Open cases whose step was due before this day (overdue, 超期).
    pub due_before: Option<NaiveDate>,
    /// Only the cases with a step for the caller (待我办理).
    pub waiting: Option<Waiting>,
    pub page: u64,
    pub per_page: u64,
}

/// The cases on the caller's step: the (state, route) pairs in which the caller acts, from the
/// state machine, and for a department or a member, only those it holds or is named on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Waiting {
    pub pairs: Vec<(CaseState, Option<Route>)>,
    pub department_id: Option<i64>,
    pub member_id: Option<i64>,
}

fn case_columns() -> PlaceColumns<opinion::Column> {
    PlaceColumns {
        district: Some(opinion::Column::DistrictId),
        street: Some(opinion::Column::StreetId),
        room: Some(opinion::Column::RoomId),
    }
}

impl Store {
    /// Opens a case and writes its audit entry (without the resident's name or phone).
    pub async fn create_case(&self, who: &Who, new: &NewCase, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let txn = self.write.begin().await?;
        let row = opinion::ActiveModel {
            tracking_code: Set(new.tracking_code.clone()),
            room_id: Set(new.room_id),
            district_id: Set(new.district_id),
            street_id: Set(new.street_id),
            channel: Set(new.channel.to_owned()),
            content: Set(new.content.clone()),
            contact_name: Set(new.contact_name.expose().clone()),
            contact_phone: Set(new.contact_phone.as_ref().map(|p| p.expose().clone())),
            community: Set(new.community.clone()),
            consent_at: Set(now),
            anonymous_to_departments: Set(new.anonymous_to_departments),
            member_id: Set(new.member_id),
            activity_id: Set(new.activity_id),
            state: Set(CaseState::Received.as_str().to_owned()),
            route: Set(None),
            department_id: Set(None),
            due_on: Set(new.due_on),
            procedure: Set(None),
            told_body: Set(None),
            rating: Set(None),
            rating_comment: Set(None),
            rated_at: Set(None),
            received_at: Set(now),
            updated_at: Set(now),
            closed_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let change = Change {
            action: "opinion.receive",
            entity: "opinion",
            entity_id: row.id.to_string(),
            district_id: Some(new.district_id),
            before: None,
            after: Some(
                json!({ "room_id": new.room_id, "channel": new.channel, "member_id": new.member_id }),
            ),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(row.id)
    }

    pub async fn case(&self, id: i64) -> Result<Option<CaseRecord>, StoreError> {
        let rows: Vec<opinion::Model> = opinion::Entity::find_by_id(id)
            .one(&self.read)
            .await?
            .into_iter()
            .collect();
        Ok(self.case_records(rows).await?.pop())
    }

    /// The cases of `ids` that exist, by id.
    pub async fn cases_by_ids(&self, ids: &[i64]) -> Result<Vec<CaseRecord>, StoreError> {
        let rows = opinion::Entity::find()
            .filter(opinion::Column::Id.is_in(ids.iter().copied()))
            .order_by_asc(opinion::Column::Id)
            .all(&self.read)
            .await?;
        self.case_records(rows).await
    }

    pub async fn case_by_code(&self, code: &str) -> Result<Option<CaseRecord>, StoreError> {
        let rows: Vec<opinion::Model> = opinion::Entity::find()
            .filter(opinion::Column::TrackingCode.eq(code))
            .one(&self.read)
            .await?
            .into_iter()
            .collect();
        Ok(self.case_records(rows).await?.pop())
    }

    /// Cases in `scope`, newest first: by place for the city, districts, streets and rooms; for a
    /// department those it holds or has held; for a member those they are responsible for.
    pub async fn cases_in_scope(&self, scope: &Scope) -> Result<Vec<CaseRecord>, StoreError> {
        let rows = opinion::Entity::find()
            .filter(scope_condition(scope))
            .order_by_desc(opinion::Column::ReceivedAt)
            .order_by_desc(opinion::Column::Id)
            .all(&self.read)
            .await?;
        self.case_records(rows).await
    }

    /// Every case not yet closed, wherever it is (for the reminders' scan).
    pub async fn open_cases(&self) -> Result<Vec<CaseRecord>, StoreError> {
        let rows = opinion::Entity::find()
            .filter(opinion::Column::State.ne(CaseState::Closed.as_str()))
            .order_by_asc(opinion::Column::Id)
            .all(&self.read)
            .await?;
        self.case_records(rows).await
    }

    /// One page of the case queue in `scope` and the number of cases matching in all, both counted by
    /// the database: open cases by due date (soonest first), then the rest newest first.
    pub async fn case_page(
        &self,
        scope: &Scope,
        query: &CaseQuery,
    ) -> Result<(Vec<CaseRecord>, u64), StoreError> {
        let mut condition = Condition::all().add(scope_condition(scope));
        if let Some(state) = query.state {
            condition = condition.add(opinion::Column::State.eq(state.as_str()));
        }
        if let Some(route) = query.route {
            condition = condition.add(opinion::Column::Route.eq(route.as_str()));
        }
        if let Some(room_id) = query.room_id {
            condition = condition.add(opinion::Column::RoomId.eq(room_id));
        }
        if let Some(street_id) = query.street_id {
            condition = condition.add(opinion::Column::StreetId.eq(street_id));
        }
        if let Some((from, to)) = query.received {
            condition = condition
                .add(opinion::Column::ReceivedAt.gte(from))
                .add(opinion::Column::ReceivedAt.lt(to));
        }
        if let Some(before) = query.due_before {
            condition = condition
                .add(opinion::Column::DueOn.lt(before))
                .add(opinion::Column::State.ne(CaseState::Closed.as_str()));
        }
        if let Some(waiting) = &query.waiting {
            let mut pairs = Condition::any();
            for (state, route) in &waiting.pairs {
                let route = match route {
                    Some(route) => opinion::Column::Route.eq(route.as_str()),
                    None => opinion::Column::Route.is_null(),
                };
                pairs = pairs.add(
                    Condition::all()
                        .add(opinion::Column::State.eq(state.as_str()))
                        .add(route),
                );
            }
            // No pair at all: nothing waits on the caller (an empty `any` would match everything).
            if waiting.pairs.is_empty() {
                pairs = pairs.add(opinion::Column::Id.is_null());
            }
            condition = condition.add(pairs);
            if let Some(department_id) = waiting.department_id {
                condition = condition.add(opinion::Column::DepartmentId.eq(department_id));
            }
            if let Some(member_id) = waiting.member_id {
                condition = condition.add(opinion::Column::MemberId.eq(member_id));
            }
        }
        let select = opinion::Entity::find().filter(condition);
        let total = select.clone().count(&self.read).await?;
        let rows = select
            .order_by_with_nulls(opinion::Column::DueOn, Order::Asc, NullOrdering::Last)
            .order_by_desc(opinion::Column::ReceivedAt)
            .order_by_desc(opinion::Column::Id)
            .offset(query.page.saturating_sub(1).saturating_mul(query.per_page))
            .limit(query.per_page)
            .all(&self.read)
            .await?;
        Ok((self.case_records(rows).await?, total))
    }

    pub(crate) async fn case_records(
        &self,
        rows: Vec<opinion::Model>,
    ) -> Result<Vec<CaseRecord>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let rooms: HashMap<i64, String> = room::Entity::find()
            .filter(room::Column::Id.is_in(rows.iter().map(|r| r.room_id)))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect();
        let members: HashMap<i64, String> = member::Entity::find()
            .filter(member::Column::Id.is_in(rows.iter().filter_map(|r| r.member_id)))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let departments: HashMap<i64, (String, DepartmentKind)> = department::Entity::find()
            .filter(department::Column::Id.is_in(rows.iter().filter_map(|r| r.department_id)))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|d| {
                let kind = stored(DepartmentKind::parse, "departments.kind", &d.kind)?;
                Ok((d.id, (d.name, kind)))
            })
            .collect::<Result<_, StoreError>>()?;
        rows.into_iter()
            .map(|row| {
                Ok(CaseRecord {
                    id: row.id,
                    room_name: rooms.get(&row.room_id).cloned().unwrap_or_default(),
                    member: row
                        .member_id
                        .map(|id| (id, members.get(&id).cloned().unwrap_or_default())),
                    department: row
                        .department_id
                        .and_then(|id| departments.get(&id).map(|(name, kind)| (id, name.clone(), *kind))),
                    activity_id: row.activity_id,
                    state: stored(CaseState::parse, "opinions.state", &row.state)?,
                    route: stored_optional(Route::parse, "opinions.route", row.route.as_deref())?,
                    procedure: stored_optional(
                        Procedure::parse,
                        "opinions.procedure",
                        row.procedure.as_deref(),
                    )?,
                    rating: stored_optional(Rating::parse, "opinions.rating", row.rating.as_deref())?,
                    tracking_code: row.tracking_code,
                    room_id: row.room_id,
                    district_id: row.district_id,
                    street_id: row.street_id,
                    channel: row.channel,
                    content: row.content,
                    contact_name: Pii::new(row.contact_name),
                    contact_phone: row.contact_phone.map(Pii::new),
                    community: row.community,
                    anonymous_to_departments: row.anonymous_to_departments,
                    due_on: row.due_on,
                    told_body: row.told_body,
                    rating_comment: row.rating_comment,
                    rated_at: row.rated_at,
                    received_at: row.received_at,
                    closed_at: row.closed_at,
                })
            })
            .collect()
    }

    /// A case's steps, oldest first.
    pub async fn case_steps(&self, id: i64) -> Result<Vec<CaseStep>, StoreError> {
        let rows = opinion_step::Entity::find()
            .filter(opinion_step::Column::OpinionId.eq(id))
            .order_by_asc(opinion_step::Column::Id)
            .all(&self.read)
            .await?;
        // Who took each step, as people read it: the account's name and, for a department's account,
        // the department (the step keeps the login name, which no one should have to decode).
        let mut labels: Vec<&str> = rows.iter().map(|r| r.actor_label.as_str()).collect();
        labels.sort_unstable();
        labels.dedup();
        let people: HashMap<String, (String, Option<i64>)> = account::Entity::find()
            .filter(account::Column::Username.is_in(labels))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|a| (a.username, (a.display_name, a.department_id)))
            .collect();
        let department_ids = rows
            .iter()
            .filter_map(|r| r.department_id)
            .chain(people.values().filter_map(|p| p.1));
        let departments: HashMap<i64, String> = department::Entity::find()
            .filter(department::Column::Id.is_in(department_ids))
            .all(&self.read)
            .await?
            .into_iter()
            .map(|d| (d.id, d.name))
            .collect();
        rows.into_iter()
            .map(|row| {
                Ok(CaseStep {
                    action: stored(ActionKind::parse, "opinion_steps.action", &row.action)?,
                    actor_name: people.get(&row.actor_label).map(|p| p.0.clone()),
                    actor_department: people
                        .get(&row.actor_label)
                        .and_then(|p| p.1)
                        .and_then(|id| departments.get(&id).cloned()),
                    actor_role: row.actor_role,
                    actor_label: row.actor_label,
                    taken_at: row.taken_at,
                    title: row.title,
                    text: row.text,
                    department: row
                        .department_id
                        .map(|id| (id, departments.get(&id).cloned().unwrap_or_default())),
                    from_state: stored(CaseState::parse, "opinion_steps.from_state", &row.from_state)?,
                    to_state: stored(CaseState::parse, "opinion_steps.to_state", &row.to_state)?,
                })
            })
            .collect()
    }

    /// Writes a step and moves the case, if it is still in the state `before` was read in; `false`
    /// when someone else moved it first.
    pub async fn apply_case_step(
        &self,
        who: &Who,
        before: &CaseRecord,
        step: &StepWrite,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.write.begin().await?;
        let moved = write_step(&txn, who, before, step, now).await?;
        if moved {
            if let Some((kind, member_id)) = step.drafts {
                let draft = crate::proposals::NewProposal {
                    kind,
                    member_id,
                    district_id: before.district_id,
                    origin_case_id: Some(before.id),
                    title: step.title.clone().unwrap_or_default(),
                    text: step.text.clone().unwrap_or_default(),
                    case_ids: vec![before.id],
                };
                crate::proposals::insert_draft(&txn, who, &draft, now).await?;
            }
            txn.commit().await?;
        } else {
            txn.rollback().await?;
        }
        Ok(moved)
    }

    /// Records the resident's rating of a closed case, once; a 不满意 rating takes the `review` step
    /// (back to the street lead) in the same transaction. `false` if the case was rated already or is
    /// no longer closed.
    pub async fn rate_case(
        &self,
        case: &CaseRecord,
        rating: Rating,
        comment: Option<&str>,
        review: Option<&StepWrite>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let txn = self.write.begin().await?;
        let rated = opinion::Entity::update_many()
            .col_expr(opinion::Column::Rating, rating.as_str().into())
            .col_expr(opinion::Column::RatingComment, comment.map(str::to_owned).into())
            .col_expr(opinion::Column::RatedAt, now.into())
            .filter(opinion::Column::Id.eq(case.id))
            .filter(opinion::Column::State.eq(CaseState::Closed.as_str()))
            .filter(opinion::Column::RatedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        // The resident has no account: the step and the audit entry name them by role.
        let resident = Who::system("群众");
        let reviewed = match review {
            Some(step) if rated => write_step(&txn, &resident, case, step, now).await?,
            _ => true,
        };
        if !rated || !reviewed {
            txn.rollback().await?;
            return Ok(false);
        }
        let change = Change {
            action: "opinion.rate",
            entity: "opinion",
            entity_id: case.id.to_string(),
            district_id: Some(case.district_id),
            before: None,
            after: Some(json!({ "rating": rating.as_str() })),
        };
        audit::append(&txn, &resident, now, change).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// What residents said in these rooms (all rooms: `None`) between `from` and `to`, for finding
    /// concentrated opinions: id, room, words and when; of the contact data only the name, to redact. Screened-out matters (other
    /// statutory procedures) are left out.
    pub async fn opinion_texts(
        &self,
        room_ids: Option<&[i64]>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<OpinionText>, StoreError> {
        let mut query = opinion::Entity::find()
            .select_only()
            .column(opinion::Column::Id)
            .column(opinion::Column::RoomId)
            .column(opinion::Column::Content)
            .column(opinion::Column::ContactName)
            .column(opinion::Column::ReceivedAt)
            .filter(opinion::Column::ReceivedAt.gte(from))
            .filter(opinion::Column::ReceivedAt.lt(to))
            .filter(
                Condition::any()
                    .add(opinion::Column::Route.is_null())
                    .add(opinion::Column::Route.ne(Route::ScreenedOut.as_str())),
            )
            .order_by_asc(opinion::Column::ReceivedAt)
            .order_by_asc(opinion::Column::Id);
        if let Some(ids) = room_ids {
            query = query.filter(opinion::Column::RoomId.is_in(ids.iter().copied()));
        }
        let rows: Vec<(i64, i64, String, String, DateTime<Utc>)> = query.into_tuple().all(&self.read).await?;
        Ok(rows
            .into_iter()
            .map(|(id, room_id, content, contact_name, received_at)| OpinionText {
                id,
                room_id,
                content,
                contact_name: Pii::new(contact_name),
                received_at,
            })
            .collect())
    }

    /// How many opinions each of these activities collected.
    pub async fn opinions_collected(&self, activity_ids: &[i64]) -> Result<HashMap<i64, u32>, StoreError> {
        let ids: Vec<Option<i64>> = opinion::Entity::find()
            .select_only()
            .column(opinion::Column::ActivityId)
            .filter(opinion::Column::ActivityId.is_in(activity_ids.iter().copied()))
            .into_tuple()
            .all(&self.read)
            .await?;
        let mut counts = HashMap::new();
        for id in ids.into_iter().flatten() {
            *counts.entry(id).or_insert(0) += 1;
        }
        Ok(counts)
    }

    /// Anonymises the residents of cases closed before `closed_before` (X7): name, phone and community
    /// go; the matter, the steps and the rating stay for the ledgers. Returns how many cases changed.
    pub async fn anonymise_closed_cases(
        &self,
        closed_before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let txn = self.write.begin().await?;
        let changed = opinion::Entity::update_many()
            .col_expr(opinion::Column::ContactName, ANONYMISED.into())
            .col_expr(opinion::Column::ContactPhone, Option::<String>::None.into())
            .col_expr(opinion::Column::Community, Option::<String>::None.into())
            .col_expr(opinion::Column::UpdatedAt, now.into())
            .filter(opinion::Column::ClosedAt.lt(closed_before))
            .filter(opinion::Column::ContactName.ne(ANONYMISED))
            .exec(&txn)
            .await?
            .rows_affected;
        if changed > 0 {
            let change = Change {
                action: "opinion.anonymise",
                entity: "opinion",
                entity_id: "retention".into(),
                district_id: None,
                before: None,
                after: Some(json!({ "cases": changed, "closed_before": closed_before.to_rfc3339() })),
            };
            audit::append(&txn, &Who::system("retention"), now, change).await?;
        }
        txn.commit().await?;
        Ok(changed)
    }

    /// Records that someone opened a case's full record, contact data included (X7).
    pub async fn log_case_view(
        &self,
        who: &Who,
        case: &CaseRecord,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let txn = self.write.begin().await?;
        let change = Change {
            action: "opinion.view",
            entity: "opinion",
            entity_id: case.id.to_string(),
            district_id: Some(case.district_id),
            before: None,
            after: None,
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(())
    }
}

/// Writes one step inside `txn` if the case is still in the state it was read in: the case's new
/// state, the step row and its audit entry. `false` (and nothing written) if someone moved it first.
async fn write_step(
    txn: &sea_orm::DatabaseTransaction,
    who: &Who,
    before: &CaseRecord,
    step: &StepWrite,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let mut update = opinion::Entity::update_many()
        .col_expr(opinion::Column::State, step.to_state.as_str().into())
        .col_expr(opinion::Column::Route, step.route.map(Route::as_str).into())
        .col_expr(opinion::Column::DepartmentId, step.holder.into())
        .col_expr(opinion::Column::DueOn, step.due_on.into())
        .col_expr(opinion::Column::UpdatedAt, now.into());
    if let Some(member_id) = step.member_id {
        update = update.col_expr(opinion::Column::MemberId, member_id.into());
    }
    if let Some((procedure, body)) = &step.screened {
        update = update
            .col_expr(opinion::Column::Procedure, procedure.as_str().into())
            .col_expr(opinion::Column::ToldBody, body.clone().into());
    }
    // `closed_at` is when the case last closed, and empty while it is open again (under review): the
    // retention period runs from it.
    if step.to_state == CaseState::Closed {
        update = update.col_expr(opinion::Column::ClosedAt, now.into());
    } else if before.state == CaseState::Closed {
        update = update.col_expr(opinion::Column::ClosedAt, Option::<DateTime<Utc>>::None.into());
    }
    if step.action.reopens() {
        // The resident rates the new result when the case closes again; until then the 不满意 stands
        // (in the reports too), and its reason stays in the history (the resident's step).
        update = update.col_expr(opinion::Column::RatedAt, Option::<DateTime<Utc>>::None.into());
    }
    let mut update = update
        .filter(opinion::Column::Id.eq(before.id))
        .filter(opinion::Column::State.eq(before.state.as_str()));
    // A step naming a member holds only if nobody named another meanwhile (naming one leaves the
    // state as it was, so the state alone cannot tell); so does a member's own step (a draft), which
    // the member named before may no longer take.
    if step.member_id.is_some() || step.drafts.is_some() {
        update = match &before.member {
            Some((id, _)) => update.filter(opinion::Column::MemberId.eq(*id)),
            None => update.filter(opinion::Column::MemberId.is_null()),
        };
    }
    let moved = update.exec(txn).await?.rows_affected == 1;
    if !moved {
        return Ok(false);
    }
    opinion_step::ActiveModel {
        opinion_id: Set(before.id),
        action: Set(step.action.as_str().to_owned()),
        actor_role: Set(step.actor_role.to_owned()),
        actor_label: Set(who.label.clone()),
        taken_at: Set(now),
        title: Set(step.title.clone()),
        text: Set(step.text.clone()),
        department_id: Set(step.holder),
        from_state: Set(before.state.as_str().to_owned()),
        to_state: Set(step.to_state.as_str().to_owned()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    let change = Change {
        action: "opinion.step",
        entity: "opinion",
        entity_id: before.id.to_string(),
        district_id: Some(before.district_id),
        before: Some(json!({ "state": before.state.as_str() })),
        after: Some(json!({
            "action": step.action.as_str(),
            "state": step.to_state.as_str(),
            "department_id": step.holder,
        })),
    };
    audit::append(txn, who, now, change).await?;
    Ok(true)
}
