//! Who is acting: a signed-in account, or the operator at the server's command line. Every use case
//! that changes something takes an [`Acting`], asks it [`Acting::may`], and records its [`Who`].

use domain::authz::{self, Action, Actor, Place, Scope};
use store::audit::Who;

use crate::AppError;

#[derive(Debug, Clone)]
pub enum Acting {
    Account(Actor),
    /// The `workroom` command run on the server: whoever can run it already holds the database.
    Operator,
}

impl Acting {
    pub fn who(&self) -> Who {
        match self {
            Self::Account(actor) => Who::account(actor.account_id, &actor.username),
            Self::Operator => Who::system("cli"),
        }
    }

    pub fn may(&self, action: Action, target: &Place) -> bool {
        match self {
            Self::Account(actor) => authz::can(actor, action, target),
            Self::Operator => true,
        }
    }

    /// Refuses with 403 unless the action is allowed at `target`.
    pub fn require(&self, action: Action, target: &Place) -> Result<(), AppError> {
        if self.may(action, target) {
            Ok(())
        } else {
            Err(forbidden())
        }
    }

    pub fn scope(&self) -> Scope {
        match self {
            Self::Account(actor) => actor.scope,
            Self::Operator => Scope::City,
        }
    }
}

pub fn forbidden() -> AppError {
    AppError::Forbidden("您没有权限进行此操作或查看此内容".into())
}

/// Where a room sits, as `authz::can` weighs it: its district, its town/street and the room itself.
pub(crate) fn room_place(room: &crate::Room) -> Place {
    Place {
        district_id: Some(room.district_id),
        street_id: Some(room.street_id),
        room_id: Some(room.id),
    }
}

/// What a missing record looks like to an actor: outside the whole city's view a lookup that finds
/// nothing answers like one that is out of scope, so nobody learns what exists in another district.
pub fn not_visible(scope: &Scope, what: &str) -> AppError {
    if *scope == Scope::City {
        AppError::NotFound(format!("{what}不存在"))
    } else {
        forbidden()
    }
}
