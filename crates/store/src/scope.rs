//! Scope filters for list queries: every list of scoped records goes through [`place_condition`], so a
//! query that forgets the actor's scope cannot be written without visibly passing one.

use domain::authz::Scope;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Condition, Expr, ExprTrait};

/// The columns that say where a record sits. `None` for a column the table does not have.
pub struct PlaceColumns<C> {
    pub district: Option<C>,
    pub street: Option<C>,
    pub room: Option<C>,
}

/// The rows of a table that lie inside `scope` by place. Departments and members see nothing by
/// place (their own records are added by the caller with an explicit condition), so for them this is
/// a condition no row meets: forgetting to add theirs shows nothing rather than everything.
pub fn place_condition<C: ColumnTrait>(scope: &Scope, columns: &PlaceColumns<C>) -> Condition {
    let nothing = || Condition::all().add(Expr::val(1).eq(0));
    let by = |column: &Option<C>, id: i64| {
        column
            .as_ref()
            .map_or_else(nothing, |c| Condition::all().add(c.eq(id)))
    };
    match *scope {
        Scope::City => Condition::all(),
        Scope::District { district_id } => by(&columns.district, district_id),
        Scope::Street { street_id, .. } => by(&columns.street, street_id),
        Scope::Room { room_id, .. } => by(&columns.room, room_id),
        Scope::Department { .. } | Scope::Member { .. } => nothing(),
    }
}
