//! Accounts, their sessions and tokens (sign-in limits are `rate_limits`). Secrets never reach this module in the
//! clear: passwords arrive as Argon2 hashes, session tokens as SHA-256 hashes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::authz::{Actor, Role, Scope, ScopeLevel};
use sea_orm::sea_query::Condition;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::json;

use crate::audit::{self, Change, Who};
use crate::entity::{account, department, member, room, session};
use crate::error::stored;
use crate::scope::{PlaceColumns, place_condition};
use crate::{Store, StoreError};

/// An account as the rest of the system sees it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
    /// A readable name of the scope: 广州市, 越秀区, 洪桥街道, a room's or department's or member's name.
    pub scope_name: String,
    pub must_change_password: bool,
    pub disabled: bool,
    pub created_at: DateTime<Utc>,
}

impl Account {
    pub fn actor(&self) -> Actor {
        Actor {
            account_id: self.id,
            username: self.username.clone(),
            role: self.role,
            scope: self.scope,
        }
    }

    pub fn who(&self) -> Who {
        Who::account(self.id, &self.username)
    }

    fn audit_json(&self) -> serde_json::Value {
        json!({
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role.as_str(),
            "scope": self.scope.level().as_str(),
            "scope_name": self.scope_name,
            "must_change_password": self.must_change_password,
            "disabled": self.disabled,
        })
    }
}

/// An account with its password hash, for signing in only.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub account: Account,
    pub password_hash: String,
}

/// A new account, its password already hashed.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub scope: Scope,
    pub must_change_password: bool,
}

/// A signed-in session (a browser's cookie or an API token), kept in the `sessions` table. Called a
/// login session in code, so "session" alone always means a reception session (接待场次).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginSession {
    pub id: i64,
    pub kind: LoginKind,
    pub csrf_token: Option<String>,
    pub expires_at: DateTime<Utc>,
}

/// How a login session is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginKind {
    /// A browser session held in a cookie; state-changing requests need its CSRF token.
    Cookie,
    /// An API token sent as `Authorization: Bearer`.
    Bearer,
}

impl LoginKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Cookie => "cookie",
            Self::Bearer => "bearer",
        }
    }
}

/// Why an account change was refused by what is stored.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("账号不存在")]
    NotFound,
    #[error("用户名 {0} 已被使用")]
    UsernameTaken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for AccountError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Store(err.into())
    }
}

fn place_columns() -> PlaceColumns<account::Column> {
    PlaceColumns {
        district: Some(account::Column::DistrictId),
        street: Some(account::Column::StreetId),
        room: Some(account::Column::RoomId),
    }
}

impl Store {
    /// The account with this username, with its hash, for signing in.
    pub async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
        let Some(row) = account::Entity::find()
            .filter(account::Column::Username.eq(username))
            .one(&self.read)
            .await?
        else {
            return Ok(None);
        };
        let password_hash = row.password_hash.clone();
        let account = self.to_accounts(vec![row]).await?.pop().expect("one in, one out");
        Ok(Some(Credentials {
            account,
            password_hash,
        }))
    }

    pub async fn account(&self, id: i64) -> Result<Option<Account>, StoreError> {
        let rows = account::Entity::find_by_id(id).all(&self.read).await?;
        Ok(self.to_accounts(rows).await?.pop())
    }

    /// Accounts whose place lies inside `scope`, by username. A department or member sees only itself.
    pub async fn accounts_in_scope(&self, scope: &Scope, self_id: i64) -> Result<Vec<Account>, StoreError> {
        let condition = Condition::any()
            .add(place_condition(scope, &place_columns()))
            .add(account::Column::Id.eq(self_id));
        let rows = account::Entity::find()
            .filter(condition)
            .order_by_asc(account::Column::Username)
            .all(&self.read)
            .await?;
        self.to_accounts(rows).await
    }

    /// Creates an account and records it in the audit trail, in one transaction.
    pub async fn create_account(
        &self,
        who: &Who,
        new: &NewAccount,
        now: DateTime<Utc>,
    ) -> Result<Account, AccountError> {
        let txn = self.write.begin().await?;
        if account::Entity::find()
            .filter(account::Column::Username.eq(new.username.clone()))
            .one(&txn)
            .await?
            .is_some()
        {
            return Err(AccountError::UsernameTaken(new.username.clone()));
        }
        let (level, place) = scope_columns(&new.scope);
        let row = account::ActiveModel {
            username: Set(new.username.clone()),
            display_name: Set(new.display_name.clone()),
            password_hash: Set(new.password_hash.clone()),
            role: Set(new.role.as_str().to_owned()),
            scope_level: Set(level.as_str().to_owned()),
            district_id: Set(place.district_id),
            street_id: Set(place.street_id),
            room_id: Set(place.room_id),
            department_id: Set(place.department_id),
            member_id: Set(place.member_id),
            must_change_password: Set(new.must_change_password),
            disabled_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let account = self
            .to_accounts_on(&txn, vec![row])
            .await?
            .pop()
            .expect("one in, one out");
        let change = Change {
            action: "account.create",
            entity: "account",
            entity_id: account.id.to_string(),
            district_id: place.district_id,
            before: None,
            after: Some(account.audit_json()),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(account)
    }

    /// Disables or re-enables an account; disabling also ends its sessions and tokens.
    pub async fn set_account_disabled(
        &self,
        who: &Who,
        id: i64,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<Account, AccountError> {
        let txn = self.write.begin().await?;
        let row = account::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AccountError::NotFound)?;
        let before = self
            .to_accounts_on(&txn, vec![row.clone()])
            .await?
            .pop()
            .expect("one");
        let district_id = row.district_id;
        let mut active: account::ActiveModel = row.into();
        active.disabled_at = Set(disabled.then_some(now));
        active.updated_at = Set(now);
        let row = active.update(&txn).await?;
        if disabled {
            revoke_all(&txn, id, None, now).await?;
        }
        let after = self.to_accounts_on(&txn, vec![row]).await?.pop().expect("one");
        let change = Change {
            action: if disabled {
                "account.disable"
            } else {
                "account.enable"
            },
            entity: "account",
            entity_id: id.to_string(),
            district_id,
            before: Some(before.audit_json()),
            after: Some(after.audit_json()),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Sets a new password hash. `must_change` is true after an administrator's reset (the owner must
    /// choose their own) and false when the owner changed it. Every other session of the account ends.
    pub async fn set_password(
        &self,
        who: &Who,
        id: i64,
        password_hash: &str,
        must_change: bool,
        keep_session: Option<i64>,
        now: DateTime<Utc>,
    ) -> Result<Account, AccountError> {
        let txn = self.write.begin().await?;
        let row = account::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(AccountError::NotFound)?;
        let district_id = row.district_id;
        let mut active: account::ActiveModel = row.into();
        active.password_hash = Set(password_hash.to_owned());
        active.must_change_password = Set(must_change);
        active.updated_at = Set(now);
        let row = active.update(&txn).await?;
        revoke_all(&txn, id, keep_session, now).await?;
        let account = self.to_accounts_on(&txn, vec![row]).await?.pop().expect("one");
        let change = Change {
            action: if must_change {
                "account.reset_password"
            } else {
                "account.change_password"
            },
            entity: "account",
            entity_id: id.to_string(),
            district_id,
            before: None,
            // The trail records that the password changed, never the password or its hash.
            after: Some(json!({ "must_change_password": must_change })),
        };
        audit::append(&txn, who, now, change).await?;
        txn.commit().await?;
        Ok(account)
    }

    /// Stores a new session or token (by the hash of its secret).
    pub async fn create_login_session(
        &self,
        account_id: i64,
        token_hash: &str,
        kind: LoginKind,
        csrf_token: Option<&str>,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> Result<LoginSession, StoreError> {
        let row = session::ActiveModel {
            token_hash: Set(token_hash.to_owned()),
            account_id: Set(account_id),
            kind: Set(kind.as_str().to_owned()),
            csrf_token: Set(csrf_token.map(str::to_owned)),
            created_at: Set(now),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
            last_used_at: Set(now),
            ..Default::default()
        }
        .insert(&self.write)
        .await?;
        Ok(to_session(&row))
    }

    /// The live session with this token hash and its account: not revoked, not expired, account enabled.
    pub async fn login_session(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(LoginSession, Account)>, StoreError> {
        let Some(row) = session::Entity::find()
            .filter(session::Column::TokenHash.eq(token_hash))
            .filter(session::Column::RevokedAt.is_null())
            .filter(session::Column::ExpiresAt.gt(now))
            .one(&self.read)
            .await?
        else {
            return Ok(None);
        };
        let Some(account) = self.account(row.account_id).await? else {
            return Ok(None);
        };
        if account.disabled {
            return Ok(None);
        }
        Ok(Some((to_session(&row), account)))
    }

    /// Ends one session or token.
    pub async fn revoke_login_session(&self, session_id: i64, now: DateTime<Utc>) -> Result<(), StoreError> {
        session::Entity::update_many()
            .col_expr(session::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
            .filter(session::Column::Id.eq(session_id))
            .filter(session::Column::RevokedAt.is_null())
            .exec(&self.write)
            .await?;
        Ok(())
    }

    async fn to_accounts(&self, rows: Vec<account::Model>) -> Result<Vec<Account>, StoreError> {
        self.to_accounts_on(&self.read, rows).await
    }

    /// Turns rows into accounts, naming each scope with one query per kind of place (never one per row).
    async fn to_accounts_on<C: ConnectionTrait>(
        &self,
        db: &C,
        rows: Vec<account::Model>,
    ) -> Result<Vec<Account>, StoreError> {
        // Each account shows one name, its scope's; look up only the kinds of place present, one
        // query per kind (none for the city), since this runs on every signed-in request.
        let scopes = rows.iter().map(scope_of).collect::<Result<Vec<_>, _>>()?;
        let (mut division_ids, mut room_ids, mut department_ids, mut member_ids) =
            (vec![], vec![], vec![], vec![]);
        for scope in &scopes {
            match *scope {
                Scope::City => {}
                Scope::District { district_id } => division_ids.push(district_id),
                Scope::Street { street_id, .. } => division_ids.push(street_id),
                Scope::Room { room_id, .. } => room_ids.push(room_id),
                Scope::Department { department_id, .. } => department_ids.push(department_id),
                Scope::Member { member_id, .. } => member_ids.push(member_id),
            }
        }
        let divisions = self.division_names(division_ids).await?;
        let rooms = if room_ids.is_empty() {
            HashMap::new()
        } else {
            names_by_id(
                room::Entity::find()
                    .filter(room::Column::Id.is_in(room_ids))
                    .all(db)
                    .await?,
                |r| (r.id, r.name),
            )
        };
        let departments = if department_ids.is_empty() {
            HashMap::new()
        } else {
            names_by_id(
                department::Entity::find()
                    .filter(department::Column::Id.is_in(department_ids))
                    .all(db)
                    .await?,
                |d| (d.id, d.name),
            )
        };
        let members = if member_ids.is_empty() {
            HashMap::new()
        } else {
            names_by_id(
                member::Entity::find()
                    .filter(member::Column::Id.is_in(member_ids))
                    .all(db)
                    .await?,
                |m| (m.id, m.name),
            )
        };
        rows.into_iter()
            .zip(scopes)
            .map(|(row, scope)| {
                let role = stored(Role::parse, "accounts.role", &row.role)?;
                let name_of = |map: &HashMap<i64, String>, id: i64| map.get(&id).cloned();
                let scope_name = match scope {
                    Scope::City => Some("广州市".to_owned()),
                    Scope::District { district_id } => name_of(&divisions, district_id),
                    Scope::Street { street_id, .. } => name_of(&divisions, street_id),
                    Scope::Room { room_id, .. } => name_of(&rooms, room_id),
                    Scope::Department { department_id, .. } => name_of(&departments, department_id),
                    Scope::Member { member_id, .. } => name_of(&members, member_id),
                }
                .unwrap_or_default();
                Ok(Account {
                    id: row.id,
                    username: row.username,
                    display_name: row.display_name,
                    role,
                    scope,
                    scope_name,
                    must_change_password: row.must_change_password,
                    disabled: row.disabled_at.is_some(),
                    created_at: row.created_at,
                })
            })
            .collect()
    }
}

fn names_by_id<T>(rows: Vec<T>, pair: impl Fn(T) -> (i64, String)) -> HashMap<i64, String> {
    rows.into_iter().map(pair).collect()
}

/// Where an account's scope sits, column by column.
#[derive(Debug, Clone, Copy, Default)]
struct ScopeColumns {
    district_id: Option<i64>,
    street_id: Option<i64>,
    room_id: Option<i64>,
    department_id: Option<i64>,
    member_id: Option<i64>,
}

fn scope_columns(scope: &Scope) -> (ScopeLevel, ScopeColumns) {
    let columns = match *scope {
        Scope::City => ScopeColumns::default(),
        Scope::District { district_id } => ScopeColumns {
            district_id: Some(district_id),
            ..ScopeColumns::default()
        },
        Scope::Street {
            district_id,
            street_id,
        } => ScopeColumns {
            district_id: Some(district_id),
            street_id: Some(street_id),
            ..ScopeColumns::default()
        },
        Scope::Room {
            district_id,
            street_id,
            room_id,
        } => ScopeColumns {
            district_id: Some(district_id),
            street_id: Some(street_id),
            room_id: Some(room_id),
            ..ScopeColumns::default()
        },
        Scope::Department {
            district_id,
            street_id,
            department_id,
        } => ScopeColumns {
            district_id: Some(district_id),
            street_id,
            department_id: Some(department_id),
            ..ScopeColumns::default()
        },
        Scope::Member {
            member_id,
            district_id,
        } => ScopeColumns {
            district_id,
            member_id: Some(member_id),
            ..ScopeColumns::default()
        },
    };
    (scope.level(), columns)
}

fn scope_of(row: &account::Model) -> Result<Scope, StoreError> {
    let missing = || StoreError::Database(format!("account {} has an incomplete scope", row.id));
    Ok(match row.scope_level.as_str() {
        "city" => Scope::City,
        "district" => Scope::District {
            district_id: row.district_id.ok_or_else(missing)?,
        },
        "street" => Scope::Street {
            district_id: row.district_id.ok_or_else(missing)?,
            street_id: row.street_id.ok_or_else(missing)?,
        },
        "room" => Scope::Room {
            district_id: row.district_id.ok_or_else(missing)?,
            street_id: row.street_id.ok_or_else(missing)?,
            room_id: row.room_id.ok_or_else(missing)?,
        },
        "department" => Scope::Department {
            district_id: row.district_id.ok_or_else(missing)?,
            street_id: row.street_id,
            department_id: row.department_id.ok_or_else(missing)?,
        },
        "member" => Scope::Member {
            member_id: row.member_id.ok_or_else(missing)?,
            district_id: row.district_id,
        },
        _ => return Err(missing()),
    })
}

async fn revoke_all<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    except: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let mut update = session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
        .filter(session::Column::AccountId.eq(account_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = except {
        update = update.filter(session::Column::Id.ne(keep));
    }
    update.exec(db).await?;
    Ok(())
}

fn to_session(row: &session::Model) -> LoginSession {
    LoginSession {
        id: row.id,
        kind: if row.kind == "bearer" {
            LoginKind::Bearer
        } else {
            LoginKind::Cookie
        },
        csrf_token: row.csrf_token.clone(),
        expires_at: row.expires_at,
    }
}

/// The name a step shows: the account's display name when it has one, else what acted.
pub(crate) async fn display_name<C: sea_orm::ConnectionTrait>(
    db: &C,
    who: &Who,
) -> Result<String, StoreError> {
    Ok(match who.account_id {
        Some(id) => account::Entity::find_by_id(id)
            .one(db)
            .await?
            .map_or_else(|| who.label.clone(), |a| a.display_name),
        None => who.label.clone(),
    })
}
