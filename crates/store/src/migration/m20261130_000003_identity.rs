//! Identity and the audit trail: departments, work rooms and members (their first columns; later
//! migrations add the rest), accounts, sessions, sign-in throttling, and the hash-chained audit log.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Divisions {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Departments {
    Table,
    Id,
    Name,
    Level,
    Kind,
    DistrictId,
    StreetId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
    Name,
    Kind,
    DistrictId,
    StreetId,
    CommunityId,
    Address,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
    Name,
    Level,
    DistrictId,
    Sector,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RoomMembers {
    Table,
    RoomId,
    MemberId,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    Role,
    ScopeLevel,
    DistrictId,
    StreetId,
    RoomId,
    DepartmentId,
    MemberId,
    MustChangePassword,
    DisabledAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    AccountId,
    Kind,
    CsrfToken,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    WindowStart,
    LockedUntil,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorAccountId,
    Actor,
    Action,
    Entity,
    EntityId,
    DistrictId,
    Before,
    After,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    LastId,
    LastHash,
}

fn id_col<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn fk<F: IntoIden, T: IntoIden, C: IntoIden>(
    name: &str,
    from_table: F,
    from_col: C,
    to_table: T,
    to_col: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from_table, from_col)
        .to(to_table, to_col)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Departments::Table)
                    .col(id_col(Departments::Id))
                    .col(ColumnDef::new(Departments::Name).string_len(80).not_null())
                    .col(ColumnDef::new(Departments::Level).string_len(16).not_null())
                    .col(ColumnDef::new(Departments::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Departments::DistrictId).big_integer().not_null())
                    .col(ColumnDef::new(Departments::StreetId).big_integer().null())
                    .col(
                        ColumnDef::new(Departments::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_departments_district",
                        Departments::Table,
                        Departments::DistrictId,
                        Divisions::Table,
                        Divisions::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_departments_street",
                        Departments::Table,
                        Departments::StreetId,
                        Divisions::Table,
                        Divisions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_departments_district_name")
                    .table(Departments::Table)
                    .col(Departments::DistrictId)
                    .col(Departments::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Rooms::Table)
                    .col(id_col(Rooms::Id))
                    .col(ColumnDef::new(Rooms::Name).string_len(80).not_null())
                    .col(ColumnDef::new(Rooms::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Rooms::DistrictId).big_integer().not_null())
                    .col(ColumnDef::new(Rooms::StreetId).big_integer().not_null())
                    .col(ColumnDef::new(Rooms::CommunityId).big_integer().null())
                    .col(ColumnDef::new(Rooms::Address).string_len(200).not_null())
                    .col(
                        ColumnDef::new(Rooms::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_rooms_district",
                        Rooms::Table,
                        Rooms::DistrictId,
                        Divisions::Table,
                        Divisions::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_rooms_street",
                        Rooms::Table,
                        Rooms::StreetId,
                        Divisions::Table,
                        Divisions::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_rooms_community",
                        Rooms::Table,
                        Rooms::CommunityId,
                        Divisions::Table,
                        Divisions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_rooms_district")
                    .table(Rooms::Table)
                    .col(Rooms::DistrictId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Members::Table)
                    .col(id_col(Members::Id))
                    .col(ColumnDef::new(Members::Name).string_len(40).not_null())
                    .col(ColumnDef::new(Members::Level).string_len(16).not_null())
                    .col(ColumnDef::new(Members::DistrictId).big_integer().null())
                    .col(ColumnDef::new(Members::Sector).string_len(40).null())
                    .col(
                        ColumnDef::new(Members::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_members_district",
                        Members::Table,
                        Members::DistrictId,
                        Divisions::Table,
                        Divisions::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoomMembers::Table)
                    .col(ColumnDef::new(RoomMembers::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(RoomMembers::MemberId).big_integer().not_null())
                    .primary_key(
                        Index::create()
                            .col(RoomMembers::RoomId)
                            .col(RoomMembers::MemberId),
                    )
                    .foreign_key(&mut fk(
                        "fk_room_members_room",
                        RoomMembers::Table,
                        RoomMembers::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_room_members_member",
                        RoomMembers::Table,
                        RoomMembers::MemberId,
                        Members::Table,
                        Members::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_room_members_member")
                    .table(RoomMembers::Table)
                    .col(RoomMembers::MemberId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(id_col(Accounts::Id))
                    .col(
                        ColumnDef::new(Accounts::Username)
                            .string_len(32)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Accounts::DisplayName).string_len(40).not_null())
                    .col(ColumnDef::new(Accounts::PasswordHash).string_len(200).not_null())
                    .col(ColumnDef::new(Accounts::Role).string_len(32).not_null())
                    .col(ColumnDef::new(Accounts::ScopeLevel).string_len(16).not_null())
                    .col(ColumnDef::new(Accounts::DistrictId).big_integer().null())
                    .col(ColumnDef::new(Accounts::StreetId).big_integer().null())
                    .col(ColumnDef::new(Accounts::RoomId).big_integer().null())
                    .col(ColumnDef::new(Accounts::DepartmentId).big_integer().null())
                    .col(ColumnDef::new(Accounts::MemberId).big_integer().null())
                    .col(ColumnDef::new(Accounts::MustChangePassword).boolean().not_null())
                    .col(
                        ColumnDef::new(Accounts::DisabledAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Accounts::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Accounts::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_accounts_district",
                        Accounts::Table,
                        Accounts::DistrictId,
                        Divisions::Table,
                        Divisions::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_accounts_street",
                        Accounts::Table,
                        Accounts::StreetId,
                        Divisions::Table,
                        Divisions::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_accounts_room",
                        Accounts::Table,
                        Accounts::RoomId,
                        Rooms::Table,
                        Rooms::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_accounts_department",
                        Accounts::Table,
                        Accounts::DepartmentId,
                        Departments::Table,
                        Departments::Id,
                    ))
                    .foreign_key(&mut fk(
                        "fk_accounts_member",
                        Accounts::Table,
                        Accounts::MemberId,
                        Members::Table,
                        Members::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_accounts_district")
                    .table(Accounts::Table)
                    .col(Accounts::DistrictId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(id_col(Sessions::Id))
                    .col(
                        ColumnDef::new(Sessions::TokenHash)
                            .string_len(64)
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Sessions::AccountId).big_integer().not_null())
                    .col(ColumnDef::new(Sessions::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(Sessions::CsrfToken).string_len(64).null())
                    .col(
                        ColumnDef::new(Sessions::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Sessions::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Sessions::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Sessions::LastUsedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(&mut fk(
                        "fk_sessions_account",
                        Sessions::Table,
                        Sessions::AccountId,
                        Accounts::Table,
                        Accounts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_sessions_account")
                    .table(Sessions::Table)
                    .col(Sessions::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(
                        ColumnDef::new(LoginThrottle::Key)
                            .string_len(200)
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(LoginThrottle::Failures).integer().not_null())
                    .col(
                        ColumnDef::new(LoginThrottle::WindowStart)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(LoginThrottle::LockedUntil)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(id_col(AuditLog::Id))
                    .col(ColumnDef::new(AuditLog::At).timestamp_with_time_zone().not_null())
                    .col(ColumnDef::new(AuditLog::ActorAccountId).big_integer().null())
                    .col(ColumnDef::new(AuditLog::Actor).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::Action).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::Entity).string_len(32).not_null())
                    .col(ColumnDef::new(AuditLog::EntityId).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::DistrictId).big_integer().null())
                    .col(ColumnDef::new(AuditLog::Before).text().null())
                    .col(ColumnDef::new(AuditLog::After).text().null())
                    .col(ColumnDef::new(AuditLog::PrevHash).string_len(64).not_null())
                    .col(ColumnDef::new(AuditLog::Hash).string_len(64).not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditHead::Table)
                    .col(ColumnDef::new(AuditHead::Id).integer().not_null().primary_key())
                    .col(ColumnDef::new(AuditHead::LastId).big_integer().not_null())
                    .col(ColumnDef::new(AuditHead::LastHash).string_len(64).not_null())
                    .to_owned(),
            )
            .await?;
        let genesis = Query::insert()
            .into_table(AuditHead::Table)
            .columns([AuditHead::Id, AuditHead::LastId, AuditHead::LastHash])
            .values_panic([1.into(), 0i64.into(), crate::audit::GENESIS_HASH.into()])
            .to_owned();
        manager.exec_stmt(genesis).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditHead::Table.into_iden(),
            AuditLog::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            Sessions::Table.into_iden(),
            Accounts::Table.into_iden(),
            RoomMembers::Table.into_iden(),
            Members::Table.into_iden(),
            Rooms::Table.into_iden(),
            Departments::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
