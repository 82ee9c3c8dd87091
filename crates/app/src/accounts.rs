//! Account administration by city and district staff within their scope: list, create, disable,
//! enable, reset a password. A new or reset account must choose its own password at next sign-in.

use domain::authz::{Action, Role, Scope};
use domain::identity;
use domain::org::DivisionLevel;
use rand::Rng;
use store::accounts::{Account, NewAccount};

use crate::access::{Acting, forbidden, not_visible};
use crate::auth::{account_error, hash_password};
use crate::divisions::parse_code;
use crate::{App, AppError};

/// A request to create an account, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewAccountInput {
    pub username: String,
    pub display_name: String,
    pub role: String,
    /// The district (区) or town/street (镇街) code, for roles that work at one.
    pub division_code: Option<String>,
    pub room_id: Option<i64>,
    pub department_id: Option<i64>,
    pub member_id: Option<i64>,
}

/// A created or reset account and the one-time password to hand over.
#[derive(Debug, Clone)]
pub struct IssuedPassword {
    pub account: Account,
    pub initial_password: String,
}

/// Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
const PASSWORD_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn one_time_password() -> String {
    let mut rng = rand::rng();
    (0..12)
        .map(|_| char::from(PASSWORD_ALPHABET[rng.random_range(0..PASSWORD_ALPHABET.len())]))
        .collect()
}

impl App {
    /// The roles the caller may give a new account: every role but the city office's, which only
    /// the city gives (an account can only be placed inside the creator's own scope).
    pub fn roles_offered(acting: &Acting) -> Vec<Role> {
        let city = matches!(acting, Acting::Operator)
            || matches!(acting, Acting::Account(actor) if actor.role == Role::CityOffice);
        Role::ALL
            .into_iter()
            .filter(|role| city || *role != Role::CityOffice)
            .collect()
    }

    /// Accounts the actor administers (city: all; district: its district).
    pub async fn list_accounts(&self, acting: &Acting) -> Result<Vec<Account>, AppError> {
        acting.require(Action::ManageAccounts, &acting.scope().place())?;
        let own_id = match acting {
            Acting::Account(actor) => actor.account_id,
            Acting::Operator => 0,
        };
        Ok(self.store().accounts_in_scope(&acting.scope(), own_id).await?)
    }

    /// One account the actor administers.
    pub async fn account_for(&self, acting: &Acting, id: i64) -> Result<Account, AppError> {
        let scope = acting.scope();
        acting.require(Action::ManageAccounts, &scope.place())?;
        let account = self
            .store()
            .account(id)
            .await?
            .ok_or_else(|| not_visible(&scope, "账号"))?;
        acting.require(Action::ManageAccounts, &account.scope.place())?;
        Ok(account)
    }

    pub async fn create_account(
        &self,
        acting: &Acting,
        input: &NewAccountInput,
    ) -> Result<IssuedPassword, AppError> {
        let username = identity::parse_username(&input.username)
            .map_err(|err| AppError::invalid("username", err.to_string()))?;
        let display_name = domain::text::single_line(&input.display_name, 40)
            .map_err(|err| AppError::invalid("display_name", format!("姓名{err}")))?;
        let role = Role::parse(input.role.trim()).ok_or_else(|| AppError::invalid("role", "未知的角色"))?;
        let scope = self.resolve_scope(role, input).await?;
        let place = scope.place();
        acting.require(Action::ManageAccounts, &place)?;
        acting.require(Action::GrantRole(role), &place)?;
        let initial_password = one_time_password();
        let new = NewAccount {
            username,
            display_name,
            password_hash: hash_password(initial_password.clone()).await?,
            role,
            scope,
            must_change_password: true,
        };
        let account = self
            .store()
            .create_account(&acting.who(), &new, self.clock().now())
            .await
            .map_err(account_error)?;
        Ok(IssuedPassword {
            account,
            initial_password,
        })
    }

    pub async fn set_account_disabled(
        &self,
        acting: &Acting,
        id: i64,
        disabled: bool,
    ) -> Result<Account, AppError> {
        let account = self.account_for(acting, id).await?;
        if let Acting::Account(actor) = acting
            && actor.account_id == account.id
            && disabled
        {
            return Err(AppError::Conflict("不能停用自己的账号".into()));
        }
        self.store()
            .set_account_disabled(&acting.who(), account.id, disabled, self.clock().now())
            .await
            .map_err(account_error)
    }

    /// Gives the account a new one-time password and ends its sessions.
    pub async fn reset_password(&self, acting: &Acting, id: i64) -> Result<IssuedPassword, AppError> {
        let account = self.account_for(acting, id).await?;
        let initial_password = one_time_password();
        let hash = hash_password(initial_password.clone()).await?;
        let account = self
            .store()
            .set_password(&acting.who(), account.id, &hash, true, None, self.clock().now())
            .await
            .map_err(account_error)?;
        Ok(IssuedPassword {
            account,
            initial_password,
        })
    }

    /// The scope an account of `role` gets from what was typed.
    async fn resolve_scope(&self, role: Role, input: &NewAccountInput) -> Result<Scope, AppError> {
        let division = match input
            .division_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
        {
            Some(raw) => {
                let code = parse_code("division_code", raw)?;
                let ids = self
                    .store()
                    .division_ids(&code)
                    .await?
                    .ok_or_else(|| AppError::invalid("division_code", format!("区划 {code} 不存在")))?;
                Some((code.level(), ids))
            }
            None => None,
        };
        let need = |what: &str| AppError::invalid("division_code", format!("该角色需要填写所属{what}"));
        let scope = match role {
            Role::CityOffice => Scope::City,
            Role::WorkingDepartment => match division {
                None => Scope::City,
                Some((DivisionLevel::District, ids)) => Scope::District {
                    district_id: ids.district_id,
                },
                Some(_) => return Err(need("区（或留空表示市级）")),
            },
            Role::DistrictStaff => match division {
                Some((DivisionLevel::District, ids)) => Scope::District {
                    district_id: ids.district_id,
                },
                _ => return Err(need("区（6 位代码）")),
            },
            Role::StreetLead => match division {
                Some((DivisionLevel::Street, ids)) => Scope::Street {
                    district_id: ids.district_id,
                    street_id: ids.id,
                },
                _ => return Err(need("镇（街）（9 位代码）")),
            },
            Role::RoomStaff => {
                let id = input
                    .room_id
                    .ok_or_else(|| AppError::invalid("room_id", "工作室工作人员需要指定工作室"))?;
                let room = self
                    .store()
                    .room(id)
                    .await?
                    .ok_or_else(|| AppError::invalid("room_id", "工作室不存在"))?;
                Scope::Room {
                    district_id: room.district_id,
                    street_id: room.street_id,
                    room_id: room.id,
                }
            }
            Role::Member => {
                let id = input
                    .member_id
                    .ok_or_else(|| AppError::invalid("member_id", "委员账号需要指定委员"))?;
                let member = self
                    .store()
                    .member(id)
                    .await?
                    .ok_or_else(|| AppError::invalid("member_id", "委员不存在"))?;
                Scope::Member {
                    member_id: member.id,
                    district_id: member.district_id,
                }
            }
            Role::FunctionalDepartment | Role::PetitionDepartment => {
                let id = input
                    .department_id
                    .ok_or_else(|| AppError::invalid("department_id", "部门账号需要指定部门"))?;
                let department = self
                    .store()
                    .department(id)
                    .await?
                    .ok_or_else(|| AppError::invalid("department_id", "部门不存在"))?;
                let petition = department.kind == domain::department::DepartmentKind::Petition;
                if petition != (role == Role::PetitionDepartment) {
                    return Err(AppError::invalid(
                        "department_id",
                        "角色与部门类别不符（信访部门账号只能属于信访部门）",
                    ));
                }
                Scope::Department {
                    district_id: department.district_id,
                    street_id: department.street_id,
                    department_id: department.id,
                }
            }
        };
        if !role.accepts(scope.level()) {
            return Err(forbidden());
        }
        Ok(scope)
    }
}
