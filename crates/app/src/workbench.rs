//! What waits on the caller (待办事项), for the top of the workbench (`/me`): cases on their step and
//! those overdue, notices to post within a week and those late, members' reports to confirm, and a
//! district's annual summary while it is due. Each task says how many, where to go and whether it is
//! urgent; nothing here decides more than the use cases it reads already do.

use chrono::{Datelike, Days};
use domain::activity::ActivityStatus;
use domain::annual::SummaryStatus;
use domain::authz::{Action, Place, Scope};
use domain::calendar::SessionStatus;
use store::activities::ActivityFilter;

use crate::access::{Acting, room_place};
use crate::{App, AppError};

/// How far ahead a notice to post is listed.
pub const NOTICE_DAYS_AHEAD: u64 = 7;

/// One line of the to-do list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The sentence shown, with the count in it.
    pub label: String,
    pub count: usize,
    pub href: String,
    /// Late already, or due within days.
    pub urgent: bool,
}

impl App {
    /// The caller's to-do list, urgent first; empty when nothing waits.
    pub async fn tasks(&self, acting: &Acting) -> Result<Vec<Task>, AppError> {
        let today = self.clock().today();
        let mut tasks = Vec::new();
        let (waiting, overdue) = self.opinions_at_a_glance(acting).await?;
        if overdue > 0 {
            tasks.push(Task {
                label: format!("有 {overdue} 件群众意见超期未办，请督办"),
                count: overdue,
                href: "/admin/opinions".into(),
                urgent: true,
            });
        }
        if waiting > 0 {
            tasks.push(Task {
                label: format!("有 {waiting} 件群众意见待您办理"),
                count: waiting,
                href: "/admin/opinions".into(),
                urgent: false,
            });
        }

        // Notices of the rooms whose sessions the caller keeps.
        let kept: Vec<_> = self
            .rooms(acting)
            .await?
            .into_iter()
            .filter(|r| acting.may(Action::ManageSessions, &room_place(r)))
            .collect();
        if !kept.is_empty() {
            let ids: Vec<i64> = kept.iter().map(|r| r.id).collect();
            let horizon = today
                .checked_add_days(Days::new(NOTICE_DAYS_AHEAD))
                .unwrap_or(today);
            let from = today.with_day(1).unwrap_or(today);
            let sessions = self
                .store()
                .sessions_in_rooms(
                    &ids,
                    from.checked_sub_days(Days::new(62)).unwrap_or(from),
                    horizon,
                )
                .await?;
            let unposted = |s: &&store::sessions::SessionRecord| {
                s.status == SessionStatus::Planned && s.notice_posted_on.is_none() && s.date >= today
            };
            let late = sessions
                .iter()
                .filter(unposted)
                .filter(|s| s.notice_due < today)
                .count();
            let soon = sessions
                .iter()
                .filter(unposted)
                .filter(|s| s.notice_due >= today && s.notice_due <= horizon)
                .collect::<Vec<_>>();
            let href = |room_id: i64| format!("/admin/rooms/{room_id}/sessions");
            if late > 0 {
                tasks.push(Task {
                    label: format!("{late} 个接待日的公告已过张贴期限，尚未张贴"),
                    count: late,
                    href: sessions
                        .iter()
                        .filter(unposted)
                        .find(|s| s.notice_due < today)
                        .map_or_else(|| "/me".to_owned(), |s| href(s.room_id)),
                    urgent: true,
                });
            }
            if let Some(first) = soon.first() {
                tasks.push(Task {
                    label: format!("{} 个接待日的公告应在 {NOTICE_DAYS_AHEAD} 天内张贴", soon.len()),
                    count: soon.len(),
                    href: href(first.room_id),
                    urgent: false,
                });
            }
        }

        // Members' reports waiting for the room's side to confirm (the district and the city may,
        // but are not pressed with every room's reports).
        let confirms = matches!(acting.scope(), Scope::Room { .. } | Scope::Street { .. });
        let pending = if confirms {
            self.activities(
                acting,
                &ActivityFilter {
                    from: None,
                    to: None,
                    room_id: None,
                    status: Some(ActivityStatus::Pending),
                },
            )
            .await?
            .into_iter()
            .filter(|a| acting.may(Action::RecordActivities, &crate::activities::activity_place(a)))
            .count()
        } else {
            0
        };
        if pending > 0 {
            tasks.push(Task {
                label: format!("{pending} 项委员报送的活动待确认"),
                count: pending,
                href: "/admin/activities".into(),
                urgent: false,
            });
        }

        // A district's summary of this year until it is submitted.
        if let Scope::District { district_id } = acting.scope()
            && acting.may(Action::WriteAnnualSummary, &Place::district(district_id))
        {
            let year = today.year();
            for s in self.annual_summaries(acting, year).await? {
                if matches!(
                    s.status,
                    SummaryStatus::NotStarted | SummaryStatus::Draft | SummaryStatus::Returned
                ) {
                    let when = if s.days_left > 0 {
                        format!("，距 {} 截止还有 {} 天", s.due.format("%-m月%-d日"), s.days_left)
                    } else {
                        "，已过截止日期".to_owned()
                    };
                    tasks.push(Task {
                        label: format!("{year} 年度工作总结（{}）尚未报送{when}", s.status.label_zh()),
                        count: 1,
                        href: format!("/admin/annual-summaries/{}/{year}", s.district.code),
                        urgent: s.days_left <= 7,
                    });
                }
            }
        }
        // Rectification tasks (整改, R15) waiting on the caller: the owner's report, the inspector's
        // acceptance; and, for an inspecting department, the rooms not yet inspected this year.
        if Self::sees_inspections(acting) {
            let open = self
                .rectifications(acting, crate::inspections::TaskFilter::Open)
                .await?;
            let mine: Vec<_> = open.iter().filter(|t| !t.actions.is_empty()).collect();
            if !mine.is_empty() {
                let late = mine
                    .iter()
                    .filter(|t| t.days_past_due.is_some_and(|d| d > 0))
                    .count();
                let when = if late > 0 {
                    format!("，其中 {late} 项已过整改期限")
                } else {
                    String::new()
                };
                tasks.push(Task {
                    label: format!("{} 项整改任务待您办理{when}", mine.len()),
                    count: mine.len(),
                    href: "/admin/rectifications".into(),
                    urgent: late > 0,
                });
            }
            if let Acting::Account(actor) = acting
                && actor.role == domain::authz::Role::WorkingDepartment
            {
                let overview = self.inspections_overview(acting, today.year()).await?;
                // The plan: days passed without an inspection, and the week's visits.
                let overdue = overview
                    .plan
                    .iter()
                    .filter(|l| l.standing == domain::inspection::PlanStanding::Overdue)
                    .count();
                if overdue > 0 {
                    tasks.push(Task {
                        label: format!("{overdue} 个工作室已过计划检查日期，尚未检查"),
                        count: overdue,
                        href: format!("/admin/inspections?year={}#plan", today.year()),
                        urgent: true,
                    });
                }
                let week = today + Days::new(NOTICE_DAYS_AHEAD);
                let this_week = overview
                    .plan
                    .iter()
                    .filter(|l| l.standing == domain::inspection::PlanStanding::Planned)
                    .filter(|l| l.planned.as_ref().is_some_and(|p| p.planned_on <= week))
                    .count();
                if this_week > 0 {
                    tasks.push(Task {
                        label: format!("未来 7 天计划检查 {this_week} 个工作室"),
                        count: this_week,
                        href: format!("/admin/inspections?year={}#plan", today.year()),
                        urgent: false,
                    });
                }
                let left = overview.not_inspected.len();
                if left > 0 {
                    tasks.push(Task {
                        label: format!("{left} 个工作室本年尚未检查"),
                        count: left,
                        href: format!("/admin/inspections?year={}", today.year()),
                        // The year's inspections are due by its end (R15: 每年).
                        urgent: today.month() == 12,
                    });
                }
            }
        }
        // Support requests (R12) waiting on the caller: the district's to answer, the member's to confirm.
        if Self::sees_support_requests(acting) && !matches!(acting.scope(), Scope::City) {
            let waiting = self
                .support_requests(acting)
                .await?
                .into_iter()
                .filter(|r| !r.actions.is_empty())
                .count();
            if waiting > 0 {
                tasks.push(Task {
                    label: if matches!(acting.scope(), Scope::Member { .. }) {
                        format!("区政协答复了您的 {waiting} 项履职支持请求，请确认或追问")
                    } else {
                        format!("{waiting} 项委员履职支持请求待答复")
                    },
                    count: waiting,
                    href: "/admin/support-requests".into(),
                    urgent: false,
                });
            }
        }
        // A member's drafts not yet submitted to the CPPCC (R13.4).
        if Self::writes_proposals(acting) {
            let drafts = self
                .proposals(acting)
                .await?
                .into_iter()
                .filter(|p| p.actions.contains(&domain::proposal::ProposalStep::Submit))
                .count();
            if drafts > 0 {
                tasks.push(Task {
                    label: format!("{drafts} 份提案或社情民意信息草稿待提交政协"),
                    count: drafts,
                    href: "/admin/proposals".into(),
                    urgent: false,
                });
            }
        }
        tasks.sort_by_key(|t| !t.urgent);
        Ok(tasks)
    }
}
