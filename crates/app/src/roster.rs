//! Importing a member roster from Excel (X1): every row checked first; any bad row and nothing is
//! stored; the same file imported twice changes nothing.

use std::collections::{HashMap, HashSet};

use domain::authz::{Action, Place};
use domain::roster::{self, RosterContext, RosterMember, RowProblem};
use sha2::{Digest, Sha256};
use store::roster::RosterCounts;

use crate::access::Acting;
use crate::{App, AppError};

/// Largest roster file accepted.
pub const MAX_ROSTER_BYTES: usize = 10 * 1024 * 1024;

/// What an import found and did.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: usize,
    /// Every bad row and column, with the reason; when not empty nothing was stored.
    pub problems: Vec<RowProblem>,
    /// Columns the roster does not know (reported, then ignored).
    pub ignored_columns: Vec<String>,
    /// What was (or, on a dry run, would be) stored; `None` when there were problems.
    pub counts: Option<RosterCounts>,
    pub dry_run: bool,
}

impl ImportReport {
    pub fn succeeded(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The template offices fill in: the headers and one example row.
pub fn roster_template() -> Result<Vec<u8>, AppError> {
    let example = [
        "陈思远",
        "市",
        "越秀区",
        "经济界",
        "否",
        "广州某某有限公司",
        "董事长",
        "13800138000",
        "",
        "第十四届",
    ];
    documents::xlsx::write_sheet(
        "委员名册",
        &roster::HEADERS,
        &[example.iter().map(|s| (*s).to_owned()).collect()],
    )
    .map_err(|err| AppError::Internal(format!("template: {err}")))
}

impl App {
    /// Whether the caller keeps members' records (and so may import a roster) in their scope.
    pub fn may_import_members(acting: &Acting) -> bool {
        acting.may(Action::ManageMembers, &acting.scope().place())
    }

    /// Imports the first sheet of an .xlsx roster. `progress(done, total)` is called as rows are stored.
    pub async fn import_members(
        &self,
        acting: &Acting,
        bytes: &[u8],
        dry_run: bool,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<ImportReport, AppError> {
        if bytes.len() > MAX_ROSTER_BYTES {
            return Err(AppError::invalid("file", "文件过大：名册文件最大 10 MB"));
        }
        if !Self::may_import_members(acting) {
            return Err(crate::access::forbidden());
        }
        let sheet = documents::xlsx::read_first_sheet(bytes)
            .map_err(|err| AppError::invalid("file", err.to_string()))?;
        let (mut problems, ignored_columns) = roster::check_headers(&sheet.headers);
        let report = |problems: Vec<RowProblem>, counts| ImportReport {
            rows: sheet.rows.len(),
            problems,
            ignored_columns: ignored_columns.clone(),
            counts,
            dry_run,
        };
        if !problems.is_empty() {
            return Ok(report(problems, None));
        }
        let targets = self.store().roster_targets().await?;
        let districts: HashSet<String> = targets.districts.keys().cloned().collect();
        let rooms: HashSet<String> = targets.rooms.keys().cloned().collect();
        let context = RosterContext {
            districts: &districts,
            rooms: &rooms,
        };
        let headers: Vec<&str> = sheet.headers.iter().map(|h| h.trim()).collect();
        let mut members: Vec<RosterMember> = Vec::with_capacity(sheet.rows.len());
        for (row, cells) in &sheet.rows {
            let by_header: HashMap<&str, String> = headers
                .iter()
                .zip(cells.iter())
                .map(|(h, v)| (*h, v.clone()))
                .collect();
            match roster::parse_row(*row, &by_header, &context) {
                Ok(member) => {
                    let place = Place {
                        district_id: member
                            .district
                            .as_ref()
                            .and_then(|d| targets.districts.get(d).copied()),
                        ..Place::default()
                    };
                    if acting.may(Action::ManageMembers, &place) {
                        members.push(member);
                    } else {
                        problems.push(RowProblem {
                            row: *row,
                            column: roster::DISTRICT.to_owned(),
                            reason: "该委员不在您的管辖范围内（只能导入本区的委员）".into(),
                        });
                    }
                }
                Err(row_problems) => problems.extend(row_problems),
            }
        }
        problems.extend(roster::duplicates(&members));
        problems.sort_by_key(|p| p.row);
        if sheet.rows.is_empty() {
            problems.push(RowProblem {
                row: 2,
                column: String::new(),
                reason: "名册中没有数据行".into(),
            });
        }
        if !problems.is_empty() {
            return Ok(report(problems, None));
        }
        let digest = hex::encode(Sha256::digest(bytes));
        let total = members.len();
        let import = store::roster::RosterImport {
            members: &members,
            targets: &targets,
            file_digest: &digest,
            dry_run,
        };
        let counts = self
            .store()
            .apply_roster(&acting.who(), &import, self.clock().now(), &|done| {
                progress(done, total);
            })
            .await?;
        Ok(report(Vec::new(), Some(counts)))
    }
}
