//! The dashboard page (工作概览, X4): headline figures, bar charts drawn on the server (each with its
//! table) and the lists a leader presses: members below the minimum, overdue cases, summaries due.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;

use app::dashboard::{Dashboard, UnitKind};
use domain::dashboard::percent;

use super::activities::parse_year;
use crate::AppState;
use crate::auth::PageCaller;
use crate::charts::BarChart;
use crate::error::PageError;
use crate::layout::PageContext;

#[derive(Deserialize, Default)]
pub(super) struct DashboardQuery {
    year: Option<String>,
    district: Option<String>,
}

/// One headline figure.
pub(super) struct Headline {
    label: &'static str,
    value: String,
    note: String,
    href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "office/dashboard.html")]
pub(super) struct DashboardPage {
    page: PageContext,
    view: Dashboard,
    headlines: Vec<Headline>,
    charts: Vec<BarChart>,
    /// The city viewing one district: the way back.
    back_to_city: bool,
}

fn share(part: u32, whole: u32) -> String {
    if whole == 0 {
        "—".to_owned()
    } else {
        format!("{}%", percent(part, whole))
    }
}

fn charts_of(d: &Dashboard) -> Vec<BarChart> {
    let year = d.year;
    let unit_word = match d.unit_kind {
        UnitKind::District => "各区",
        UnitKind::Room => "各工作室",
    };
    let unit_href = |u: &app::dashboard::UnitFigures| match d.unit_kind {
        UnitKind::District => format!("/dashboard?year={year}&district={}", u.code),
        UnitKind::Room => format!("/admin/rooms/{}/ledgers?year={year}", u.id),
    };
    let mut charts = vec![BarChart::new(
        "participation",
        &format!("{unit_word}委员履职达标率"),
        format!(
            "{year} 年参加社区活动达到 {} 次的委员占应履职委员的比例（暂免的委员不计入）。",
            d.minimum
        ),
        "达标 / 应履职（比例）",
        d.units
            .iter()
            .map(|u| {
                (
                    u.name.clone(),
                    percent(u.at_or_above_minimum, u.members),
                    format!(
                        "{}/{}（{}）",
                        u.at_or_above_minimum,
                        u.members,
                        share(u.at_or_above_minimum, u.members)
                    ),
                    Some(unit_href(u)),
                )
            })
            .collect(),
        Some(100),
    )];
    charts.push(BarChart::new(
        "opinions-by-unit",
        &format!("{unit_word}收到的群众意见"),
        format!("{year} 年登记的群众意见件数；括号内为尚未办结的件数，超期件数见下方一览表。"),
        "件数（未办结）",
        d.units
            .iter()
            .map(|u| {
                (
                    u.name.clone(),
                    u.opinions,
                    format!("{} 件（未办结 {}）", u.opinions, u.open),
                    Some(unit_href(u)),
                )
            })
            .collect(),
        None,
    ));
    charts.push(BarChart::new(
        "activities-by-month",
        "每月履职活动",
        format!("{year} 年各月已确认的社区活动次数（含接待日）。"),
        "次数",
        d.activities_by_month
            .iter()
            .enumerate()
            .map(|(month, n)| {
                (
                    format!("{} 月", month + 1),
                    *n,
                    n.to_string(),
                    Some(format!("/admin/activities?year={year}")),
                )
            })
            .collect(),
        None,
    ));
    charts.push(BarChart::new(
        "activities-by-kind",
        "履职活动类型",
        format!("{year} 年已确认的社区活动按类型（《规范》第十条）。"),
        "次数",
        d.activities_by_kind
            .iter()
            .map(|t| (t.label.clone(), t.count, t.count.to_string(), None))
            .collect(),
        None,
    ));
    charts.push(BarChart::new(
        "opinions-by-route",
        "群众意见分办去向",
        format!("{year} 年登记的群众意见按分办去向（《规范》第十三条）。"),
        "件数",
        d.opinions_by_route
            .iter()
            .map(|t| {
                (
                    t.label.clone(),
                    t.count,
                    t.count.to_string(),
                    Some("/admin/opinions".to_owned()),
                )
            })
            .collect(),
        None,
    ));
    charts.push(BarChart::new(
        "open-by-age",
        "未办结意见已等待的时间",
        "尚未办结的群众意见自登记以来经过的工作日。".to_owned(),
        "件数",
        d.open_by_age
            .iter()
            .map(|t| {
                (
                    t.label.clone(),
                    t.count,
                    t.count.to_string(),
                    Some("/admin/opinions".to_owned()),
                )
            })
            .collect(),
        None,
    ));
    let s = &d.satisfaction;
    charts.push(BarChart::new(
        "satisfaction",
        "群众满意度",
        format!("{year} 年已办结意见的群众评价。"),
        "件数",
        vec![
            ("满意".to_owned(), s.satisfied, s.satisfied.to_string(), None),
            (
                "基本满意".to_owned(),
                s.basically_satisfied,
                s.basically_satisfied.to_string(),
                None,
            ),
            (
                "不满意".to_owned(),
                s.dissatisfied,
                s.dissatisfied.to_string(),
                None,
            ),
            ("尚未评价".to_owned(), s.unrated, s.unrated.to_string(), None),
        ],
        None,
    ));
    charts
}

fn headlines_of(d: &Dashboard) -> Vec<Headline> {
    let year = d.year;
    let members: u32 = d.participation.iter().map(|p| p.members).sum();
    let reached: u32 = d.participation.iter().map(|p| p.at_or_above_minimum).sum();
    let open: u32 = d.units.iter().map(|u| u.open).sum();
    let rated = d.satisfaction.satisfied + d.satisfaction.basically_satisfied + d.satisfaction.dissatisfied;
    vec![
        Headline {
            label: "委员履职达标",
            value: share(reached, members),
            note: format!(
                "{reached}/{members} 位委员；{} 位未达标",
                d.members_below_minimum.len()
            ),
            href: format!("/admin/duty?year={year}"),
        },
        Headline {
            label: "接待日",
            value: format!("{} 场", d.sessions_held),
            note: format!(
                "公告按时张贴 {}（{}/{}）",
                share(d.notices_on_time, d.notices_due),
                d.notices_on_time,
                d.notices_due
            ),
            href: "/me".to_owned(),
        },
        Headline {
            label: "履职活动",
            value: format!("{} 次", d.activities_by_month.iter().sum::<u32>()),
            note: "已确认，含接待日".to_owned(),
            href: format!("/admin/activities?year={year}"),
        },
        Headline {
            label: "群众意见",
            value: format!("{} 件", d.opinions_total),
            note: format!("未办结 {open}，超期 {}", d.overdue.len()),
            href: "/admin/opinions".to_owned(),
        },
        Headline {
            label: "群众满意度",
            value: share(
                d.satisfaction.satisfied + d.satisfaction.basically_satisfied,
                rated,
            ),
            note: format!("满意和基本满意 / 已评价 {rated} 件"),
            href: "/admin/opinions".to_owned(),
        },
        Headline {
            label: "集中反映的问题",
            value: format!("{} 组", d.concentrated_groups),
            note: "可形成提案或社情民意信息".to_owned(),
            href: format!("/admin/insights?year={year}"),
        },
    ]
}

/// `/dashboard?year=&district=`.
pub(super) async fn dashboard(
    State(state): State<AppState>,
    page: PageContext,
    PageCaller(caller): PageCaller,
    Query(query): Query<DashboardQuery>,
) -> Result<DashboardPage, PageError> {
    let fail = |err| PageError::new(page.clone(), err);
    let year = parse_year(query.year.as_deref(), state.app.clock().today()).map_err(fail)?;
    let acting = caller.acting();
    let view = state
        .app
        .dashboard(&acting, year, query.district.as_deref())
        .await
        .map_err(fail)?;
    Ok(DashboardPage {
        back_to_city: acting.scope() == domain::authz::Scope::City && view.district.is_some(),
        headlines: headlines_of(&view),
        charts: charts_of(&view),
        page,
        view,
    })
}
