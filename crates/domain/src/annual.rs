//! The district's annual summary (年度工作总结, R14): its status from draft to received, when it is late
//! (the rule set's due day, December 20 by default, R17), the figures it reports — computed from the
//! records, never typed — and the document's body.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Where a district's summary of one year stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryStatus {
    /// Nothing written yet (no row).
    NotStarted,
    /// 草稿: the district is writing it.
    Draft,
    /// 已报送: sent to the city general office; the figures are frozen.
    Submitted,
    /// 已接收: the city general office accepted it.
    Received,
    /// 已退回: the city general office sent it back with a reason; edited and submitted again.
    Returned,
}

impl SummaryStatus {
    /// The values a stored row may hold (`not_started` is the absence of a row).
    pub const STORED: [SummaryStatus; 4] = [Self::Draft, Self::Submitted, Self::Received, Self::Returned];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Received => "received",
            Self::Returned => "returned",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::NotStarted,
            Self::Draft,
            Self::Submitted,
            Self::Received,
            Self::Returned,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Self::NotStarted => "未开始",
            Self::Draft => "草稿",
            Self::Submitted => "已报送",
            Self::Received => "已接收",
            Self::Returned => "已退回",
        }
    }
}

/// What may be done to a summary, and by whom: the district writes and submits, the city general
/// office receives or returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryStep {
    SaveText,
    Submit,
    Receive,
    Return,
}

impl SummaryStep {
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::SaveText => "保存草稿",
            Self::Submit => "报送",
            Self::Receive => "接收",
            Self::Return => "退回",
        }
    }
}

/// A step the summary's status does not allow.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("年度总结目前“{}”，不能{}", .status.label_zh(), .step.label_zh())]
pub struct StepNotNow {
    pub status: SummaryStatus,
    pub step: SummaryStep,
}

/// The status after `step`, or why not now. A submitted or received summary is not edited; a
/// returned one is edited (back to draft) and submitted again.
pub fn next_status(status: SummaryStatus, step: SummaryStep) -> Result<SummaryStatus, StepNotNow> {
    use SummaryStatus as S;
    use SummaryStep as T;
    match (status, step) {
        (S::NotStarted | S::Draft | S::Returned, T::SaveText) => Ok(S::Draft),
        (S::Draft | S::Returned, T::Submit) => Ok(S::Submitted),
        (S::Submitted, T::Receive) => Ok(S::Received),
        (S::Submitted, T::Return) => Ok(S::Returned),
        _ => Err(StepNotNow { status, step }),
    }
}

/// The due day of `year`'s summary: the rule set's month and day (12-20 by default); the summary must
/// arrive *before* it.
pub fn due_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Submitted on or after the due day is late ("before December 20").
pub fn is_late(submitted_on: NaiveDate, due: NaiveDate) -> bool {
    submitted_on >= due
}

/// A count under a readable label (a room kind, an activity kind, a route).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub code: String,
    pub label: String,
    pub count: u32,
}

/// Members of one level and how many reached the yearly minimum (exempt members counted apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelParticipation {
    pub level: String,
    pub label: String,
    /// Members held to the minimum (not exempt).
    pub members: u32,
    pub at_or_above_minimum: u32,
    /// Exempt for now (港澳界, 住港澳): not in `members`.
    pub exempt: u32,
}

impl LevelParticipation {
    /// The share at or above the minimum, in whole percent (100 when nobody is held to it).
    pub fn share_percent(&self) -> u32 {
        (self.at_or_above_minimum * 100)
            .checked_div(self.members)
            .unwrap_or(100)
    }
}

/// A reception notice posted late or not at all (R9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LateNotice {
    pub room: String,
    pub session_date: NaiveDate,
}

/// The satisfaction of closed cases (满意度).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SatisfactionCounts {
    pub satisfied: u32,
    pub basically_satisfied: u32,
    pub dissatisfied: u32,
    pub unrated: u32,
}

/// Every figure of a district's year, computed from the records (X11: nothing typed twice). Frozen
/// into the version a district submits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnnualFigures {
    pub district: String,
    pub year: i32,
    /// Open rooms by kind (固定、流动、网上).
    pub rooms_by_kind: Vec<Tally>,
    pub rooms_total: u32,
    /// Reception sessions held in the year.
    pub sessions_held: u32,
    /// Of the sessions due in the year (held or planned, not cancelled), notices posted on time.
    pub notices_on_time: u32,
    pub notices_due: u32,
    pub late_notices: Vec<LateNotice>,
    /// Confirmed activities.
    pub activities_total: u32,
    pub activities_by_kind: Vec<Tally>,
    pub participation: Vec<LevelParticipation>,
    /// Members below the yearly minimum, by name (level in brackets).
    pub members_below_minimum: Vec<String>,
    pub minimum: u32,
    /// Points of city members' community activities (专题协商, R14).
    pub city_member_points: u32,
    pub opinions_total: u32,
    pub opinions_by_route: Vec<Tally>,
    pub opinions_closed: u32,
    pub opinions_open: u32,
    /// Average working days from receipt to closing, of the cases closed (one decimal).
    pub average_working_days_to_close: Option<f64>,
    pub satisfaction: SatisfactionCounts,
    /// Groups of concentrated opinions (X6) found in the year.
    pub concentrated_groups: u32,
    pub proposals_drafted: u32,
    pub social_reports_drafted: u32,
    /// Open rooms inspected in the year (R15) and the rectification tasks of the year's inspections,
    /// of them those accepted and closed. Absent from versions frozen before inspections were kept.
    #[serde(default)]
    pub rooms_inspected: u32,
    #[serde(default)]
    pub rectifications: u32,
    #[serde(default)]
    pub rectifications_closed: u32,
    /// The rooms' budget lines of the year (R16), in fen, and the open rooms without one.
    #[serde(default)]
    pub funding_budget_fen: i64,
    #[serde(default)]
    pub funding_spent_fen: i64,
    #[serde(default)]
    pub rooms_without_budget: u32,
}

/// The outline a district starts its own text from: the parts after the figures.
pub const TEXT_OUTLINE: &str = "二、主要工作\n\n三、经验做法\n\n四、存在问题\n\n五、下一年度工作计划\n";

/// Whether a text says anything beyond the outline (an outline alone is an empty summary).
pub fn text_is_empty(text: &str) -> bool {
    let outline: Vec<&str> = TEXT_OUTLINE.lines().filter(|l| !l.trim().is_empty()).collect();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .all(|l| outline.contains(&l))
}

fn percent(part: u32, whole: u32) -> String {
    (part * 100)
        .checked_div(whole)
        .map_or_else(|| "—".to_owned(), |p| format!("{p}%"))
}

fn tallies(items: &[Tally]) -> String {
    if items.is_empty() {
        return "无".to_owned();
    }
    items
        .iter()
        .map(|t| format!("{} {} 个", t.label, t.count))
        .collect::<Vec<_>>()
        .join("，")
}

/// Part one of the document, 一、基本情况, written from the figures.
pub fn figures_section(f: &AnnualFigures) -> String {
    let mut lines = vec!["一、基本情况".to_owned()];
    lines.push(format!(
        "（一）工作室设置。全区共有委员工作室（联络站）{} 个，其中{}。",
        f.rooms_total,
        tallies(&f.rooms_by_kind)
    ));
    let late = if f.late_notices.is_empty() {
        "均按时张贴".to_owned()
    } else {
        format!(
            "未按时张贴 {} 次：{}",
            f.late_notices.len(),
            f.late_notices
                .iter()
                .map(|n| format!("{}（{}）", n.room, n.session_date.format("%m月%d日")))
                .collect::<Vec<_>>()
                .join("、")
        )
    };
    lines.push(format!(
        "（二）接待日。全年举行委员接待日 {} 场；应张贴接待公告 {} 次，按时张贴 {} 次（{}），{}。",
        f.sessions_held,
        f.notices_due,
        f.notices_on_time,
        percent(f.notices_on_time, f.notices_due),
        late
    ));
    lines.push(format!(
        "（三）活动开展。全年开展委员进社区活动 {} 场，其中{}。",
        f.activities_total,
        tallies(&f.activities_by_kind).replace(" 个", " 场")
    ));
    let levels = f
        .participation
        .iter()
        .map(|p| {
            let exempt = if p.exempt > 0 {
                format!("，另有暂不作要求的委员 {} 名", p.exempt)
            } else {
                String::new()
            };
            format!(
                "{} {} 名，达到每年不少于 {} 次的 {} 名（{}%）{exempt}",
                p.label,
                p.members,
                f.minimum,
                p.at_or_above_minimum,
                p.share_percent()
            )
        })
        .collect::<Vec<_>>()
        .join("；");
    let below = if f.members_below_minimum.is_empty() {
        "全部委员均达到要求".to_owned()
    } else {
        format!("未达到要求的委员：{}", f.members_below_minimum.join("、"))
    };
    lines.push(format!(
        "（四）委员履职。{}。{below}。市政协委员进社区活动计入“专题协商”类履职积分共 {} 分。",
        if levels.is_empty() {
            "本区暂无委员履职记录".to_owned()
        } else {
            levels
        },
        f.city_member_points
    ));
    let average = f.average_working_days_to_close.map_or_else(
        || "暂无办结件".to_owned(),
        |d| format!("平均 {d:.1} 个工作日办结"),
    );
    lines.push(format!(
        "（五）群众意见办理。全年收集群众意见 {} 件，其中{}；已办结 {} 件，办理中 {} 件，{average}。群众评价满意 {} 件、基本满意 {} 件、不满意 {} 件，未评价 {} 件。",
        f.opinions_total,
        tallies(&f.opinions_by_route).replace(" 个", " 件"),
        f.opinions_closed,
        f.opinions_open,
        f.satisfaction.satisfied,
        f.satisfaction.basically_satisfied,
        f.satisfaction.dissatisfied,
        f.satisfaction.unrated
    ));
    lines.push(format!(
        "（六）集中性意见。梳理出集中反映的问题 {} 类，委员据此形成提案 {} 件、社情民意信息 {} 件。",
        f.concentrated_groups, f.proposals_drafted, f.social_reports_drafted
    ));
    lines.push(format!(
        "（七）检查督导。全年检查工作室 {} 个（共 {} 个）；发现问题形成整改任务 {} 项，已验收销号 {} 项。",
        f.rooms_inspected, f.rooms_total, f.rectifications, f.rectifications_closed
    ));
    let missing = if f.rooms_without_budget == 0 {
        "各工作室经费均已列入镇（街）预算".to_owned()
    } else {
        format!("{} 个工作室经费尚未列入镇（街）预算", f.rooms_without_budget)
    };
    lines.push(format!(
        "（八）工作经费。各工作室经费列入镇（街）年度预算共 {} 元，已支出 {} 元；{missing}。",
        crate::funding::format_yuan(f.funding_budget_fen),
        crate::funding::format_yuan(f.funding_spent_fen)
    ));
    lines.join("\n")
}

/// The whole body: the figures, then the district's own text as written.
pub fn document_body(f: &AnnualFigures, text: &str, issuer: &str, dated: NaiveDate) -> String {
    format!(
        "市政协办公厅：\n{}\n{}\n{issuer}\n{}",
        figures_section(f),
        text.trim(),
        dated.format("%Y年%-m月%-d日")
    )
}

/// The title of the document.
pub fn document_title(district: &str, year: i32) -> String {
    format!("{district}{year}年度政协委员进社区工作总结")
}

#[cfg(test)]
mod tests {
    use super::*;
    use SummaryStatus as S;
    use SummaryStep as T;

    #[test]
    fn a_summary_is_written_submitted_and_received_or_returned_and_submitted_again() {
        assert_eq!(next_status(S::NotStarted, T::SaveText), Ok(S::Draft));
        assert_eq!(next_status(S::Draft, T::Submit), Ok(S::Submitted));
        assert_eq!(next_status(S::Submitted, T::Return), Ok(S::Returned));
        assert_eq!(next_status(S::Returned, T::SaveText), Ok(S::Draft));
        assert_eq!(next_status(S::Returned, T::Submit), Ok(S::Submitted));
        assert_eq!(next_status(S::Submitted, T::Receive), Ok(S::Received));
        for (status, step) in [
            (S::NotStarted, T::Submit),
            (S::Submitted, T::Submit),
            (S::Submitted, T::SaveText),
            (S::Received, T::SaveText),
            (S::Received, T::Return),
            (S::Draft, T::Receive),
        ] {
            let refused = next_status(status, step).unwrap_err();
            assert!(refused.to_string().contains(status.label_zh()), "{refused}");
        }
    }

    #[test]
    fn the_summary_is_late_on_the_due_day_itself() {
        let due = due_date(2026, 12, 20).unwrap();
        assert!(!is_late(NaiveDate::from_ymd_opt(2026, 12, 19).unwrap(), due));
        assert!(is_late(due, due));
    }

    #[test]
    fn an_outline_alone_is_an_empty_text() {
        assert!(text_is_empty(TEXT_OUTLINE));
        assert!(text_is_empty("  \n"));
        assert!(!text_is_empty(&format!("{TEXT_OUTLINE}全年开展活动。")));
        for status in SummaryStatus::STORED {
            assert_eq!(SummaryStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(SummaryStatus::parse("sent"), None);
    }
}
