//! Loads 广州市's division tree from the statistics bureau's 2023 codes (data/divisions/440100.csv).

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use sea_orm_migration::prelude::*;

use crate::entity::{division, division_name};
use domain::org::{DivisionCode, DivisionLevel};

const DATA: &str = include_str!("../../../../data/divisions/440100.csv");
/// The dataset's cut-off date (截止时间): the names held from at least then.
const VALID_FROM: (i32, u32, u32) = (2023, 6, 30);
const NOTE: &str = "国家统计局2023年统计用区划代码";
/// Rows per INSERT; keeps each statement well under SQLite's bound-parameter limit.
const BATCH: usize = 400;

#[derive(DeriveMigrationName)]
pub struct Migration;

struct Row {
    code: DivisionCode,
    name: String,
}

fn parse_rows() -> Result<Vec<Row>, DbErr> {
    let mut reader = csv::Reader::from_reader(DATA.as_bytes());
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|err| DbErr::Custom(format!("440100.csv line {line}: {err}")))?;
        let code = DivisionCode::parse(&record[0])
            .map_err(|err| DbErr::Custom(format!("440100.csv line {line}: {err}")))?;
        let parent = record.get(2).unwrap_or_default();
        let expected = code.parent().map(String::from).unwrap_or_default();
        if parent != expected {
            return Err(DbErr::Custom(format!(
                "440100.csv line {line}: parent {parent} ≠ {expected}"
            )));
        }
        rows.push(Row {
            code,
            name: record[1].to_owned(),
        });
    }
    Ok(rows)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let rows = parse_rows()?;
        let now = Utc::now();
        let valid_from =
            NaiveDate::from_ymd_opt(VALID_FROM.0, VALID_FROM.1, VALID_FROM.2).expect("valid date");
        let mut ids: HashMap<String, i64> = HashMap::new();
        // Parents before children: insert level by level and learn each level's ids.
        for level in [
            DivisionLevel::City,
            DivisionLevel::District,
            DivisionLevel::Street,
            DivisionLevel::Community,
        ] {
            let level_rows: Vec<&Row> = rows.iter().filter(|row| row.code.level() == level).collect();
            for chunk in level_rows.chunks(BATCH) {
                let models = chunk.iter().map(|row| division::ActiveModel {
                    code: Set(row.code.to_string()),
                    name: Set(row.name.clone()),
                    level: Set(row.code.level().as_str().to_owned()),
                    parent_id: Set(row
                        .code
                        .parent()
                        .and_then(|parent| ids.get(parent.as_str()).copied())),
                    created_at: Set(now),
                    ..Default::default()
                });
                division::Entity::insert_many(models)
                    .exec_without_returning(db)
                    .await?;
            }
            let codes: Vec<String> = level_rows.iter().map(|row| row.code.to_string()).collect();
            for chunk in codes.chunks(BATCH) {
                let found: Vec<(i64, String)> = division::Entity::find()
                    .select_only()
                    .column(division::Column::Id)
                    .column(division::Column::Code)
                    .filter(division::Column::Code.is_in(chunk.iter().cloned()))
                    .into_tuple()
                    .all(db)
                    .await?;
                ids.extend(found.into_iter().map(|(id, code)| (code, id)));
            }
        }
        for chunk in rows.chunks(BATCH) {
            let names = chunk.iter().map(|row| division_name::ActiveModel {
                division_id: Set(ids[row.code.as_str()]),
                name: Set(row.name.clone()),
                valid_from: Set(valid_from),
                valid_until: Set(None),
                note: Set(Some(NOTE.to_owned())),
                recorded_at: Set(now),
                ..Default::default()
            });
            division_name::Entity::insert_many(names)
                .exec_without_returning(db)
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        division_name::Entity::delete_many().exec(db).await?;
        division::Entity::delete_many().exec(db).await?;
        Ok(())
    }
}
