//! Pages for people: the public portal, the division browser, sign-in and the workbench,
//! administration, preferences. No page needs JavaScript.

mod account;
mod accounts;
mod activities;
mod annual;
mod assets;
mod audit;
mod calendar;
mod dashboard;
mod divisions;
mod funding;
mod insights;
mod inspections;
mod ledgers;
mod member_admin;
mod notifications;
mod opinions;
mod proposals;
mod room_admin;
mod room_rules;
mod rooms;
mod roster;
mod sessions;
mod staffing;
mod support;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::{get, post};

use domain::org::Division;

use crate::AppState;
use crate::error::PageError;
use crate::layout::PageContext;
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/divisions", get(divisions::divisions))
        .route("/divisions/{code}", get(divisions::division))
        .route("/divisions/{code}/children.csv", get(divisions::children_csv))
        .route("/divisions/{code}/rename", post(divisions::rename_division))
        .route("/divisions/{code}/children", post(divisions::add_division))
        .route("/login", get(account::login_form).post(account::login_submit))
        .route("/logout", post(account::logout))
        .route("/me", get(account::me))
        .route("/notifications", get(notifications::list))
        .route("/notifications/read-all", post(notifications::read_all))
        .route("/notifications/{id}/open", post(notifications::open))
        .route("/dashboard", get(dashboard::dashboard))
        .route(
            "/account/password",
            get(account::password_form).post(account::password_submit),
        )
        .route(
            "/admin/accounts",
            get(accounts::accounts).post(accounts::create_account),
        )
        .route("/admin/accounts/{id}", get(accounts::account))
        .route("/admin/accounts/{id}/{action}", post(accounts::account_action))
        .route("/admin/audit", get(audit::audit))
        .route(
            "/admin/members/import",
            get(roster::members_import_form)
                .post(roster::members_import)
                .layer(axum::extract::DefaultBodyLimit::max(
                    app::roster::MAX_ROSTER_BYTES + 64 * 1024,
                )),
        )
        .route("/admin/members/template.xlsx", get(roster::members_template))
        .route("/admin/calendar", get(calendar::calendar))
        .route("/admin/calendar/district-day", post(calendar::add_district_day))
        .route("/admin/calendar/blocked", post(calendar::add_blocked_date))
        .route(
            "/admin/calendar/blocked/{id}/remove",
            post(calendar::remove_blocked_date),
        )
        .route("/admin/calendar/rules", post(calendar::add_rule_set))
        .route("/admin/calendar/arrangements", post(calendar::import_arrangement))
        .route("/admin/staffing", get(staffing::staffing))
        .route("/admin/staffing/conveners", post(staffing::add_convener))
        .route(
            "/admin/staffing/conveners/{id}/remove",
            post(staffing::remove_convener),
        )
        .route("/preferences/text-size", post(assets::set_text_size))
        .route("/static/app.css", get(assets::stylesheet))
        .route("/static/poster.css", get(assets::poster_stylesheet))
        .route("/rooms", get(rooms::rooms))
        .route("/rooms/{id}", get(rooms::room))
        .route("/rooms/{id}/poster", get(rooms::poster))
        .route("/reception-days", get(rooms::coming_reception_days))
        .route("/rooms/{id}/calendar.ics", get(sessions::room_feed))
        .route("/sessions/{id}/notice", get(sessions::notice))
        .route("/feeds/members/{token}/calendar.ics", get(sessions::member_feed))
        .route("/me/calendar-feed", post(sessions::member_feed_form))
        .route("/me/calendar-feed/revoke", post(sessions::member_feed_form))
        .route("/admin/members", get(member_admin::members))
        .route(
            "/admin/activities",
            get(activities::activities).post(activities::record),
        )
        .route("/admin/activities/{id}/confirm", post(activities::confirm))
        .route("/admin/activities/{id}/return", post(activities::return_report))
        .route("/admin/activities/{id}/details", post(activities::details))
        .route(
            "/admin/activities/{id}/photos",
            post(activities::photo_form).layer(axum::extract::DefaultBodyLimit::max(
                documents::photo::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/admin/activities/{id}/photos/{photo}/remove",
            post(activities::photo_form),
        )
        .route("/activities/{id}/photos/{file}", get(activities::photo))
        .route("/admin/activity-kinds", post(activities::add_kind))
        .route("/rooms/{id}/opinions", post(opinions::submit))
        .route("/track", get(opinions::track_form))
        .route("/track/{code}", get(opinions::track))
        .route("/track/{code}/rating", post(opinions::rate))
        .route("/admin/opinions", get(opinions::cases).post(opinions::register))
        .route("/admin/opinions/{id}", get(opinions::case))
        .route("/admin/opinions/{id}/actions", post(opinions::step))
        .route("/admin/duty", get(activities::duty))
        .route("/admin/insights", get(insights::insights))
        .route("/admin/annual-summaries", get(annual::list))
        .route(
            "/admin/annual-summaries/{code}/{year}",
            get(annual::show).post(annual::act),
        )
        .route(
            "/admin/inspections",
            get(inspections::overview).post(inspections::record),
        )
        .route("/admin/proposals", get(proposals::list).post(proposals::create))
        .route("/admin/proposals/{id}", get(proposals::show).post(proposals::act))
        .route("/admin/support-requests", get(support::list).post(support::ask))
        .route(
            "/admin/support-requests/{id}",
            get(support::show).post(support::act),
        )
        .route("/admin/funding", get(funding::overview))
        .route(
            "/admin/rooms/{id}/funding",
            get(funding::room).post(funding::save),
        )
        .route("/admin/inspections/new", get(inspections::new_form))
        .route("/admin/inspections/plan", post(inspections::plan))
        .route("/admin/inspections/{id}", get(inspections::show))
        .route("/admin/rectifications", get(inspections::tasks))
        .route(
            "/admin/rectifications/{id}",
            get(inspections::task).post(inspections::task_act),
        )
        .route(
            "/admin/rectifications/{id}/photos",
            post(inspections::task_photo_form).layer(axum::extract::DefaultBodyLimit::max(
                documents::photo::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        )
        .route(
            "/admin/rectifications/{id}/photos/{file}",
            get(inspections::task_photo),
        )
        .route("/admin/insights/social-report.docx", post(insights::draft_docx))
        .route("/admin/duty/score-sheet.xlsx", get(activities::score_sheet))
        .route(
            "/admin/members/{id}",
            get(member_admin::member).post(member_admin::save),
        )
        // Phones take photos of several MB: the photo forms take up to the photo limit.
        .route(
            "/admin/members/{id}/photo",
            post(member_admin::photo_form).layer(axum::extract::DefaultBodyLimit::max(
                documents::photo::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        )
        .route("/admin/members/{id}/photo/remove", post(member_admin::photo_form))
        .route("/members/{id}/photo.jpg", get(member_admin::photo))
        .route("/admin/rooms", get(room_admin::rooms).post(room_admin::create))
        .route("/admin/rooms/{id}", post(room_admin::update))
        .route("/admin/rooms/{id}/places", post(room_admin::places))
        .route("/admin/rooms/{id}/sessions", get(sessions::sessions))
        .route("/admin/rooms/{id}/ledgers", get(ledgers::ledgers))
        .route(
            "/admin/rooms/{id}/rules",
            get(room_rules::room_rules).post(room_rules::room_rules_act),
        )
        .route(
            "/admin/rule-templates",
            get(room_rules::templates).post(room_rules::templates_act),
        )
        .route("/admin/rooms/{id}/ledgers/{file}", get(ledgers::download))
        .route("/admin/rooms/{id}/sessions/generate", post(sessions::generate))
        .route("/admin/sessions/{id}/adjust", post(sessions::adjust))
        .route("/admin/sessions/{id}/notice", post(sessions::notice_posted))
}

#[derive(Template, WebTemplate)]
#[template(path = "public/index.html")]
struct IndexPage {
    page: PageContext,
    query: String,
    districts: Vec<Division>,
}

async fn index(State(state): State<AppState>, page: PageContext) -> Result<IndexPage, PageError> {
    let districts = state
        .app
        .division_children(None)
        .await
        .map_err(|err| PageError::new(page.clone(), err))?;
    Ok(IndexPage {
        page,
        query: String::new(),
        districts,
    })
}
