//! Form and query decoding: `serde_urlencoded` (what `web::extract::PageForm`, `CsrfForm`, axum's
//! `Query` and `web::error::ApiQuery` run) into the shapes of the web crate's forms and queries, then
//! the pure checks that follow decoding in `app` and `domain`.
//!
//! The web crate is not a dependency: it brings the whole server (axum, sea-orm, sqlx, askama…) into
//! every fuzz build. Its structs are private to their modules, so each is copied here with the same
//! fields, types and serde attributes; the source of each is named above it. Keep them in step.
#![no_main]

#[path = "../common/text_rules.rs"]
mod text_rules;

use domain::calendar::Year;
use domain::member::MobileNumber;
use domain::opinion::{ActionKind, Procedure, Rating, parse_tracking_code};
use domain::text::{self, TextError};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use text_rules::{assert_paragraphs, assert_single_line};

/// crates/web/src/pages/opinions.rs `OpinionForm`: the public opinion form (POST /rooms/{id}/opinions).
#[derive(Debug, Deserialize, Default)]
#[allow(dead_code)]
struct OpinionForm {
    #[serde(default)]
    content: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    website: String,
    anonymous_to_departments: Option<String>,
    consent: Option<String>,
}

/// crates/web/src/pages/opinions.rs `VisitForm`: visitor registration (群众来访登记).
#[derive(Debug, Deserialize, Default)]
#[allow(dead_code)]
struct VisitForm {
    #[serde(default)]
    room_id: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    member_id: String,
    #[serde(default)]
    activity_id: String,
    consent: Option<String>,
    anonymous_to_departments: Option<String>,
}

/// crates/web/src/pages/opinions.rs `TrackQuery`: `/track?code=…`.
#[derive(Debug, Deserialize, Default)]
struct TrackQuery {
    code: Option<String>,
}

/// crates/web/src/pages/opinions.rs `RatingForm`: the resident's rating of a closed case.
#[derive(Debug, Deserialize, Default)]
struct RatingForm {
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

/// crates/web/src/pages/opinions.rs `StepForm`: a routing step on a case.
#[derive(Debug, Deserialize, Default)]
#[allow(dead_code)]
struct StepForm {
    #[serde(default)]
    action: String,
    procedure: Option<String>,
    told_body: Option<String>,
    answer: Option<String>,
    instruction: Option<String>,
    #[serde(default)]
    department_id: String,
    result: Option<String>,
    text: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    member_id: String,
}

/// crates/web/src/extract.rs `CsrfField`: read from every signed-in form besides its own fields.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct CsrfField {
    #[serde(default)]
    csrf: String,
}

/// crates/web/src/pages/account.rs `NextParam`: `/login?next=…`.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct NextParam {
    #[serde(default)]
    next: String,
}

/// crates/web/src/pages/mod.rs `SearchParams`: `/divisions?q=…`.
#[derive(Debug, Deserialize)]
struct PageSearchParams {
    #[serde(default)]
    q: String,
}

/// crates/web/src/pages/activities.rs `ActivitiesQuery` (`YearOnly`, `MemberQuery` and
/// `CalendarQuery` have the same `year: Option<String>` and more optional strings).
#[derive(Debug, Deserialize, Default)]
struct ActivitiesQuery {
    year: Option<String>,
    room: Option<String>,
}

/// crates/web/src/pages/admin.rs `AuditParams`: the audit log's pages.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct PageAuditParams {
    before_id: Option<i64>,
    verify: Option<String>,
}

/// crates/web/src/api/audit.rs `AuditParams`.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ApiAuditParams {
    entity: Option<String>,
    actor: Option<String>,
    before_id: Option<i64>,
    limit: Option<u64>,
}

/// crates/web/src/api/activities.rs `ActivityListParams`.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ActivityListParams {
    year: Option<i32>,
    room_id: Option<i64>,
    status: Option<String>,
}

/// crates/web/src/api/public.rs `ComingParams`: the public coming reception days.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ComingParams {
    days: Option<u32>,
}

/// crates/web/src/api/divisions.rs `SearchParams` (required `q`).
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct ApiSearchParams {
    q: String,
}

/// Decodes as `from_bytes` and as `from_str` (the query string), which must agree.
fn decode<T: DeserializeOwned + std::fmt::Debug>(data: &[u8]) -> Option<T> {
    let from_bytes = serde_urlencoded::from_bytes::<T>(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let from_str = serde_urlencoded::from_str::<T>(text);
        assert_eq!(
            format!("{:?}", from_bytes.as_ref().ok()),
            format!("{:?}", from_str.as_ref().ok()),
            "from_bytes and from_str disagree"
        );
    }
    from_bytes.ok()
}

/// `app::members::optional_text`: blank is none, anything else a single line.
fn optional_text(raw: &str, max: usize) -> Result<Option<String>, TextError> {
    let trimmed = raw.trim();
    if text::blank(trimmed) {
        return Ok(None);
    }
    text::single_line(trimmed, max).map(Some)
}

/// What `App::submit_online_opinion` checks before it looks at the database.
fn opinion(form: &OpinionForm) {
    if let Ok(content) = text::paragraphs(&form.content, 2000) {
        assert_paragraphs("意见内容", &content, 2000);
    }
    if let Ok(name) = text::single_line(&form.contact_name, 40) {
        assert_single_line("联系人姓名", &name, 40);
    }
    phone(&form.contact_phone);
    if let Ok(Some(community)) = optional_text(&form.community, 100) {
        assert_single_line("所在社区", &community, 100);
    }
}

fn phone(raw: &str) {
    if let Some(number) = MobileNumber::parse(raw) {
        let digits = number.as_str();
        assert!(
            digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit()),
            "{raw:?}"
        );
        assert!(digits.starts_with('1') && (b'3'..=b'9').contains(&digits.as_bytes()[1]));
    }
}

/// `web::pages::opinions::register` and `App::register_visit` before the database.
fn visit(form: &VisitForm) {
    let _ = form.room_id.trim().parse::<i64>();
    for id in [&form.member_id, &form.activity_id] {
        match id.trim() {
            "" => {}
            raw => {
                let _ = raw.parse::<i64>();
            }
        }
    }
    if let Ok(content) = text::paragraphs(&form.content, 2000) {
        assert_paragraphs("来访事项", &content, 2000);
    }
    if let Ok(name) = text::single_line(&form.contact_name, 40) {
        assert_single_line("来访人姓名", &name, 40);
    }
    match form.contact_phone.trim() {
        "" => {}
        raw => phone(raw),
    }
    if let Ok(Some(community)) = optional_text(&form.community, 100) {
        assert_single_line("所在社区", &community, 100);
    }
}

/// `/track?code=`: a code that parses is canonical and parses to itself.
fn track(query: &TrackQuery) {
    if let Some(raw) = query.code.as_deref().map(str::trim).filter(|c| !c.is_empty())
        && let Some(code) = parse_tracking_code(raw)
    {
        assert_eq!(code.len(), 14);
        assert_eq!(parse_tracking_code(&code).as_deref(), Some(code.as_str()));
        // The page shows at most 20 characters of an unknown code: never a split character.
        let shown: String = raw.chars().take(20).collect();
        assert!(raw.starts_with(&shown));
    }
}

/// `App::rate_case` before the database.
fn rating(form: &RatingForm) {
    if let Some(rating) = Rating::parse(&form.rating) {
        assert_eq!(Rating::parse(rating.as_str()), Some(rating));
    }
    if let Ok(Some(comment)) = optional_text(&form.comment, 500) {
        assert_single_line("评价说明", &comment, 500);
    }
}

/// `web::pages::opinions::step` and the field checks of `App::take_step`.
fn step(form: &StepForm) {
    if let Some(action) = ActionKind::parse(&form.action) {
        assert_eq!(ActionKind::parse(action.as_str()), Some(action));
        assert!(!action.label_zh().is_empty());
    }
    if let Some(procedure) = form.procedure.as_deref().and_then(Procedure::parse) {
        assert_eq!(Procedure::parse(procedure.as_str()), Some(procedure));
    }
    let _ = form.department_id.trim().parse::<i64>();
    let _ = form.member_id.trim().parse::<i64>();
    for field in [
        &form.told_body,
        &form.answer,
        &form.instruction,
        &form.result,
        &form.text,
        &form.summary,
    ] {
        if let Ok(text) = text::paragraphs(field.as_deref().unwrap_or_default(), 1000) {
            assert_paragraphs("办理内容", &text, 1000);
        }
    }
    if let Some(title) = &form.title
        && let Ok(title) = text::single_line(title, 100)
    {
        assert_single_line("标题", &title, 100);
    }
}

/// A year typed in a query (`Year::number`, then the range of records or of the calendar).
fn year(raw: Option<&str>) {
    let Some(raw) = raw.map(str::trim).filter(|y| !y.is_empty()) else {
        return;
    };
    if let Ok(number) = Year::number(raw) {
        if let Ok(year) = Year::new(number) {
            assert!((Year::FIRST..=Year::LAST).contains(&year.value()));
            let (first, last) = year.bounds();
            assert!(first < last);
        }
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        if let Ok(year) = Year::of_records(number, today) {
            assert!((Year::FIRST..=2027).contains(&year.value()));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Some(form) = decode::<OpinionForm>(data) {
        opinion(&form);
    }
    if let Some(form) = decode::<VisitForm>(data) {
        visit(&form);
    }
    if let Some(query) = decode::<TrackQuery>(data) {
        track(&query);
    }
    if let Some(form) = decode::<RatingForm>(data) {
        rating(&form);
    }
    if let Some(form) = decode::<StepForm>(data) {
        step(&form);
    }
    let _ = decode::<CsrfField>(data);
    let _ = decode::<NextParam>(data);
    if let Some(params) = decode::<PageSearchParams>(data) {
        let _ = params.q.trim();
    }
    if let Some(query) = decode::<ActivitiesQuery>(data) {
        year(query.year.as_deref());
        let _ = query.room.as_deref().map(|r| r.trim().parse::<i64>());
    }
    let _ = decode::<PageAuditParams>(data);
    let _ = decode::<ApiAuditParams>(data);
    if let Some(params) = decode::<ActivityListParams>(data)
        && let Some(value) = params.year
    {
        let _ = Year::new(value);
    }
    let _ = decode::<ComingParams>(data);
    let _ = decode::<ApiSearchParams>(data);
});
