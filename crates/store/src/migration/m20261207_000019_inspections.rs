//! Inspections (督查检查, R15) of rooms by the CPPCC working departments, each with its checklist as
//! recorded, and the rectification tasks (整改任务) its findings create, with every step taken on them.
//! Steps are only ever added; a task's status moves conditionally on the status it was decided on.

use sea_orm_migration::prelude::*;

/// The values each constrained column may hold, frozen with the migration (a new variant needs a new
/// migration; `store`'s tests compare these with the domain enums).
pub(crate) const KNOWN_VALUES: &[(&str, &str, &[&str])] = &[
    (
        "rectification_tasks",
        "owner",
        &["room_staff", "street_lead", "district"],
    ),
    (
        "rectification_tasks",
        "status",
        &["open", "reported", "returned", "closed"],
    ),
    ("rectification_steps", "step", &["report", "accept", "return"]),
];

fn allowed(table: &str, column: &str) -> Vec<String> {
    KNOWN_VALUES
        .iter()
        .find(|(t, c, _)| *t == table && *c == column)
        .map(|(_, _, values)| values.iter().map(|v| (*v).to_owned()).collect())
        .unwrap_or_default()
}

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Rooms {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Inspections {
    Table,
    Id,
    RoomId,
    DistrictId,
    StreetId,
    InspectedOn,
    InspectorAccountId,
    InspectorName,
    Checklist,
    Remarks,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RectificationTasks {
    Table,
    Id,
    InspectionId,
    RoomId,
    DistrictId,
    StreetId,
    Finding,
    Owner,
    DueDate,
    Status,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum RectificationSteps {
    Table,
    Id,
    TaskId,
    Step,
    Text,
    ActorAccountId,
    ActorName,
    At,
}

fn id_column<T: IntoIden>(name: T) -> ColumnDef {
    ColumnDef::new(name)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Inspections::Table)
                    .col(id_column(Inspections::Id))
                    .col(ColumnDef::new(Inspections::RoomId).big_integer().not_null())
                    .col(ColumnDef::new(Inspections::DistrictId).big_integer().not_null())
                    .col(ColumnDef::new(Inspections::StreetId).big_integer().not_null())
                    .col(ColumnDef::new(Inspections::InspectedOn).date().not_null())
                    .col(
                        ColumnDef::new(Inspections::InspectorAccountId)
                            .big_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(Inspections::InspectorName).string().not_null())
                    // The checklist as recorded (JSON): each item, met or not, the records' counts, the note.
                    .col(ColumnDef::new(Inspections::Checklist).text().not_null())
                    .col(ColumnDef::new(Inspections::Remarks).text().not_null())
                    .col(
                        ColumnDef::new(Inspections::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inspections_room")
                            .from(Inspections::Table, Inspections::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_inspections_inspector")
                            .from(Inspections::Table, Inspections::InspectorAccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_inspections_district_day")
                    .table(Inspections::Table)
                    .col(Inspections::DistrictId)
                    .col(Inspections::InspectedOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RectificationTasks::Table)
                    .col(id_column(RectificationTasks::Id))
                    .col(
                        ColumnDef::new(RectificationTasks::InspectionId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RectificationTasks::RoomId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RectificationTasks::DistrictId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RectificationTasks::StreetId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RectificationTasks::Finding).text().not_null())
                    .col(ColumnDef::new(RectificationTasks::Owner).string().not_null())
                    .col(ColumnDef::new(RectificationTasks::DueDate).date().not_null())
                    .col(ColumnDef::new(RectificationTasks::Status).string().not_null())
                    .col(
                        ColumnDef::new(RectificationTasks::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RectificationTasks::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RectificationTasks::ClosedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .check(
                        Expr::col(RectificationTasks::Owner).is_in(allowed("rectification_tasks", "owner")),
                    )
                    .check(
                        Expr::col(RectificationTasks::Status).is_in(allowed("rectification_tasks", "status")),
                    )
                    // Closed exactly when accepted.
                    .check(
                        Expr::col(RectificationTasks::ClosedAt)
                            .is_null()
                            .eq(Expr::col(RectificationTasks::Status).ne("closed")),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rectification_tasks_inspection")
                            .from(RectificationTasks::Table, RectificationTasks::InspectionId)
                            .to(Inspections::Table, Inspections::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rectification_tasks_room")
                            .from(RectificationTasks::Table, RectificationTasks::RoomId)
                            .to(Rooms::Table, Rooms::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_rectification_tasks_district_status")
                    .table(RectificationTasks::Table)
                    .col(RectificationTasks::DistrictId)
                    .col(RectificationTasks::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RectificationSteps::Table)
                    .col(id_column(RectificationSteps::Id))
                    .col(
                        ColumnDef::new(RectificationSteps::TaskId)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RectificationSteps::Step).string().not_null())
                    .col(ColumnDef::new(RectificationSteps::Text).text().not_null())
                    .col(
                        ColumnDef::new(RectificationSteps::ActorAccountId)
                            .big_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(RectificationSteps::ActorName).string().not_null())
                    .col(
                        ColumnDef::new(RectificationSteps::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .check(Expr::col(RectificationSteps::Step).is_in(allowed("rectification_steps", "step")))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rectification_steps_task")
                            .from(RectificationSteps::Table, RectificationSteps::TaskId)
                            .to(RectificationTasks::Table, RectificationTasks::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_rectification_steps_task")
                    .table(RectificationSteps::Table)
                    .col(RectificationSteps::TaskId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RectificationSteps::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(RectificationTasks::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Inspections::Table).to_owned())
            .await
    }
}
