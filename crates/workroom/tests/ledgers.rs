//! A room's ledgers (台账, R14) on both databases: derived from the demo's records and equal to what the
//! other routes report; the .xlsx read back with calamine holds the same figures (numbers as numbers,
//! dates as dates, a formula neutralised); who may read them (departments never, members without
//! contacts, other districts never); bad kinds and years refused; the page and its downloads.

mod common;

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use common::{TestApp, call, get_text};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

/// 洪桥街政协委员工作室, the demo staff's room.
const HONGQIAO: i64 = 1;

async fn ledger(app: &TestApp, token: &str, room: i64, kind: &str, year: i32) -> (u16, Value) {
    call(
        app,
        token,
        Method::GET,
        &format!("/api/v1/rooms/{room}/ledgers/{kind}?year={year}"),
        None,
    )
    .await
}

fn rows(ledger: &Value) -> &Vec<Value> {
    ledger["rows"].as_array().expect("rows")
}

async fn xlsx(app: &TestApp, token: &str, path: &str) -> calamine::Range<Data> {
    let response = app.with_token(Method::GET, path, token).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an .xlsx");
    book.worksheet_range_at(0).unwrap().unwrap()
}

fn date_of(cell: Option<&Data>) -> Option<NaiveDate> {
    match cell {
        Some(Data::DateTime(dt)) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
        }
        _ => None,
    }
}

fn json_date(value: &Value) -> Option<NaiveDate> {
    value.as_str().map(|s| s.parse().unwrap())
}

fn number_of(cell: Option<&Data>) -> Option<f64> {
    match cell {
        Some(Data::Float(n)) => Some(*n),
        #[allow(clippy::cast_precision_loss)]
        Some(Data::Int(n)) => Some(*n as f64),
        _ => None,
    }
}

async fn the_ledgers_are_derived_from_the_rooms_records(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;

    // 工作台账: the year's reception sessions and the other activities, in date order.
    let (status, work) = ledger(&app, &staff, HONGQIAO, "work", 2026).await;
    assert_eq!(status, 200, "{work}");
    assert_eq!(
        (
            work["room_name"].as_str(),
            work["year"].as_i64(),
            work["kind"].as_str()
        ),
        (Some("洪桥街政协委员工作室"), Some(2026), Some("work"))
    );
    assert_eq!(work["title"], "洪桥街政协委员工作室 2026 年工作台账");
    let lines = rows(&work);
    let dates: Vec<&str> = lines.iter().map(|r| r["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(dates, sorted, "in date order");
    let (_, sessions) = call(
        &app,
        &staff,
        Method::GET,
        "/api/v1/rooms/1/sessions?year=2026",
        None,
    )
    .await;
    let session_lines: Vec<&Value> = lines
        .iter()
        .filter(|r| r["entry"] == "reception_session")
        .collect();
    assert_eq!(session_lines.len(), sessions.as_array().unwrap().len());
    let held = session_lines
        .iter()
        .find(|r| r["status_label"] == "已接待")
        .expect("a held session");
    assert_eq!(held["held_on"], held["planned_on"]);
    assert_eq!(held["notice_label"], "已按时张贴");
    assert_eq!(held["notice_posted_where"], "社区公告栏");
    assert!(!held["members"].as_array().unwrap().is_empty());
    // Visitors came to the last reception day: their opinions count on its line.
    assert!(
        session_lines
            .iter()
            .any(|r| r["opinions_taken"].as_u64().unwrap() > 0)
    );
    let local = lines
        .iter()
        .find(|r| r["entry"] == "activity" && r["kind_label"] == "“有事好商量”协商议事")
        .expect("the district's own kind of activity");
    assert_eq!(
        (local["date"].as_str(), local["residents_reached"].as_u64()),
        (Some("2026-08-12"), Some(40))
    );

    // 活动台账: every confirmed activity, as the activity list reports them.
    let (status, activities) = ledger(&app, &staff, HONGQIAO, "activities", 2026).await;
    assert_eq!(status, 200);
    let (_, listed) = call(
        &app,
        &staff,
        Method::GET,
        "/api/v1/activities?year=2026&room_id=1&status=confirmed",
        None,
    )
    .await;
    assert_eq!(rows(&activities).len(), listed.as_array().unwrap().len());
    for row in rows(&activities) {
        let same = listed
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == row["activity_id"])
            .unwrap();
        assert_eq!(row["kind"], same["kind"]);
        assert_eq!(row["residents_reached"], same["residents_reached"]);
        assert_eq!(
            row["photo_count"].as_u64(),
            u64::try_from(same["photo_urls"].as_array().unwrap().len()).ok()
        );
        assert_eq!(
            row["members"].as_array().unwrap().len(),
            same["members"].as_array().unwrap().len()
        );
    }
    // The pending report of the demo member is not on it.
    assert!(
        rows(&activities)
            .iter()
            .all(|r| r["kind"] != "legal_info_consultation")
    );

    // 群众来访登记: one line per case the room received this year, contacts in full for its staff.
    let (status, visitors) = ledger(&app, &staff, HONGQIAO, "visitors", 2026).await;
    assert_eq!(status, 200);
    assert_eq!(visitors["contacts"], "full");
    let (_, cases) = common::case_list(&app, &staff).await;
    let this_year: Vec<&Value> = cases
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["room_id"] == HONGQIAO && c["received_at"].as_str().unwrap() >= "2025-12-31T16:00:00Z")
        .collect();
    assert_eq!(rows(&visitors).len(), this_year.len());
    let noise = rows(&visitors)
        .iter()
        .find(|r| r["matter"] == "夜间施工噪音扰民。")
        .unwrap();
    assert_eq!(
        (
            noise["channel"].as_str(),
            noise["contact_name"].as_str(),
            noise["contact_phone"].as_str(),
            noise["route"].as_str(),
            noise["state"].as_str(),
            noise["rating"].as_str()
        ),
        (
            Some("online"),
            Some("郑女士"),
            Some("13112340008"),
            Some("street"),
            Some("under_review"),
            Some("dissatisfied")
        ),
        "{noise}"
    );
    let screened = rows(&visitors)
        .iter()
        .find(|r| r["route"] == "screened_out")
        .unwrap();
    assert_eq!(screened["state"], "closed");
    assert!(screened["closed_on"].is_string(), "{screened}");
    // Reading residents' contacts in full is in the audit trail (X7).
    let city = app.token("demo-city").await;
    let (_, audit) = call(
        &app,
        &city,
        Method::GET,
        "/api/v1/audit?entity=room&actor=demo-staff",
        None,
    )
    .await;
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "ledger.visitors.view"),
        "{audit}"
    );

    // 委员进社区履职登记: each member serving the room, counted as the duty list counts them.
    let (status, members) = ledger(&app, &staff, HONGQIAO, "members", 2026).await;
    assert_eq!(status, 200);
    let (_, duty) = call(&app, &staff, Method::GET, "/api/v1/members?year=2026", None).await;
    assert_eq!(rows(&members).len(), 7, "{members}");
    for row in rows(&members) {
        let same = duty
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["id"] == row["member_id"])
            .unwrap();
        assert_eq!(row["activity_count"], same["activity_count"], "{row}");
        assert_eq!(row["points"], same["points"], "{row}");
        assert_eq!(row["below_minimum"], same["below_minimum"], "{row}");
        assert!(row["activities_in_room"].as_u64() <= row["activity_count"].as_u64());
    }
    let chen = rows(&members).iter().find(|r| r["name"] == "陈思远").unwrap();
    assert_eq!(chen["level_label"], "市政协委员");
    assert_eq!(
        chen["points"].as_u64(),
        chen["activity_count"].as_u64().map(|n| n * 10)
    );
}

async fn every_demo_room_has_a_year_of_ledgers(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let (_, rooms) = call(&app, &city, Method::GET, "/api/v1/rooms", None).await;
    assert_eq!(rooms.as_array().unwrap().len(), 6);
    for room in rooms.as_array().unwrap() {
        let id = room["id"].as_i64().unwrap();
        for kind in ["work", "activities", "visitors", "members"] {
            let (status, body) = ledger(&app, &city, id, kind, 2026).await;
            assert_eq!(status, 200, "{body}");
            assert!(
                !rows(&body).is_empty(),
                "{} has an empty {kind} ledger",
                room["name"]
            );
        }
    }
}

async fn the_spreadsheets_hold_the_same_figures_as_the_json(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    // A summary someone typed as a formula stays text in the spreadsheet.
    let formula = "=HYPERLINK(\"http://example.com\",\"点我\")";
    let (status, recorded) = call(
        &app,
        &staff,
        Method::POST,
        "/api/v1/activities",
        Some(json!({ "room_id": 1, "kind": "policy_promotion", "date": "2026-11-26", "member_ids": [1], "summary": formula, "residents_reached": 33 })),
    )
    .await;
    assert_eq!(status, 201, "{recorded}");

    for kind in ["work", "activities", "visitors", "members"] {
        let (_, body) = ledger(&app, &staff, HONGQIAO, kind, 2026).await;
        let sheet = xlsx(
            &app,
            &staff,
            &format!("/api/v1/rooms/1/ledgers/{kind}?year=2026&format=xlsx"),
        )
        .await;
        let title = match sheet.get((0, 0)) {
            Some(Data::String(t)) => t.clone(),
            other => panic!("{kind}: a title, not {other:?}"),
        };
        assert_eq!(title, body["title"].as_str().unwrap());
        let columns: Vec<String> = body["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_owned())
            .collect();
        let headers: Vec<String> = (0..columns.len())
            .map(|c| match sheet.get((1, c)) {
                Some(Data::String(h)) => h.clone(),
                other => panic!("{kind}: a header, not {other:?}"),
            })
            .collect();
        assert_eq!(headers, columns, "{kind}");
        assert_eq!(
            sheet.height(),
            rows(&body).len() + 2,
            "{kind}: title, header, one row a line"
        );
    }

    // 工作台账: dates as dates, figures as numbers, equal to the JSON.
    let (_, work) = ledger(&app, &staff, HONGQIAO, "work", 2026).await;
    let sheet = xlsx(&app, &staff, "/api/v1/rooms/1/ledgers/work?year=2026&format=xlsx").await;
    for (index, row) in rows(&work).iter().enumerate() {
        let r = index + 2;
        assert_eq!(date_of(sheet.get((r, 0))), json_date(&row["date"]), "row {r}");
        assert_eq!(
            date_of(sheet.get((r, 2))),
            json_date(&row["nominal_on"]),
            "row {r}"
        );
        assert_eq!(date_of(sheet.get((r, 4))), json_date(&row["held_on"]), "row {r}");
        assert_eq!(
            number_of(sheet.get((r, 13))),
            row["residents_reached"].as_f64(),
            "row {r}"
        );
        assert_eq!(
            number_of(sheet.get((r, 14))),
            row["opinions_taken"].as_f64(),
            "row {r}"
        );
    }

    // 活动台账: the formula is neutralised, the figures are numbers.
    let (_, activities) = ledger(&app, &staff, HONGQIAO, "activities", 2026).await;
    let sheet = xlsx(
        &app,
        &staff,
        "/api/v1/rooms/1/ledgers/activities?year=2026&format=xlsx",
    )
    .await;
    let index = rows(&activities)
        .iter()
        .position(|r| r["activity_id"] == recorded["id"])
        .unwrap();
    assert_eq!(rows(&activities)[index]["summary"], formula);
    assert_eq!(
        sheet.get((index + 2, 7)),
        Some(&Data::String(format!("'{formula}")))
    );
    assert_eq!(number_of(sheet.get((index + 2, 6))), Some(33.0));
    for (index, row) in rows(&activities).iter().enumerate() {
        assert_eq!(date_of(sheet.get((index + 2, 0))), json_date(&row["date"]));
        assert_eq!(number_of(sheet.get((index + 2, 8))), row["photo_count"].as_f64());
    }

    // 委员进社区履职登记: counts and points as numbers.
    let (_, members) = ledger(&app, &staff, HONGQIAO, "members", 2026).await;
    let sheet = xlsx(
        &app,
        &staff,
        "/api/v1/rooms/1/ledgers/members?year=2026&format=xlsx",
    )
    .await;
    for (index, row) in rows(&members).iter().enumerate() {
        let r = index + 2;
        assert_eq!(
            sheet.get((r, 0)),
            Some(&Data::String(row["name"].as_str().unwrap().to_owned()))
        );
        assert_eq!(number_of(sheet.get((r, 4))), row["activities_in_room"].as_f64());
        assert_eq!(number_of(sheet.get((r, 5))), row["activity_count"].as_f64());
        assert_eq!(number_of(sheet.get((r, 10))), row["points"].as_f64());
    }

    // 群众来访登记: the received day as a date.
    let (_, visitors) = ledger(&app, &staff, HONGQIAO, "visitors", 2026).await;
    let sheet = xlsx(
        &app,
        &staff,
        "/api/v1/rooms/1/ledgers/visitors?year=2026&format=xlsx",
    )
    .await;
    for (index, row) in rows(&visitors).iter().enumerate() {
        assert_eq!(date_of(sheet.get((index + 2, 0))), json_date(&row["received_on"]));
        assert_eq!(date_of(sheet.get((index + 2, 9))), json_date(&row["closed_on"]));
    }
}

async fn only_the_rooms_side_and_its_members_read_its_ledgers(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    for who in ["demo-dept", "demo-petition", "demo-other-district"] {
        let token = app.token(who).await;
        for kind in ["work", "visitors"] {
            let (status, body) = ledger(&app, &token, HONGQIAO, kind, 2026).await;
            assert_eq!(status, 403, "{who} {kind}: {body}");
        }
        let response = app
            .with_token(
                Method::GET,
                "/api/v1/rooms/1/ledgers/visitors?year=2026&format=xlsx",
                &token,
            )
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{who} xlsx");
    }
    // The other district reads its own rooms' ledgers.
    let other = app.token("demo-other-district").await;
    let (_, rooms) = call(&app, &other, Method::GET, "/api/v1/rooms", None).await;
    let haizhu = rooms[0]["id"].as_i64().unwrap();
    assert_eq!(ledger(&app, &other, haizhu, "work", 2026).await.0, 200);

    // The member serving 洪桥 reads its ledgers without residents' contacts; not another room's.
    let member = app.token("demo-member").await;
    let (status, visitors) = ledger(&app, &member, HONGQIAO, "visitors", 2026).await;
    assert_eq!(status, 200, "{visitors}");
    assert_eq!(visitors["contacts"], "withheld");
    assert!(!rows(&visitors).is_empty());
    for row in rows(&visitors) {
        assert_eq!(row["contact_name"], "（不显示）");
        assert!(
            row["contact_phone"].is_null() && row["community"].is_null(),
            "{row}"
        );
    }
    let text = visitors.to_string();
    for private in ["郑女士", "13112340008", "何先生"] {
        assert!(!text.contains(private), "{private} shown to a member");
    }
    assert_eq!(ledger(&app, &member, HONGQIAO, "members", 2026).await.0, 200);
    let sheet = xlsx(
        &app,
        &member,
        "/api/v1/rooms/1/ledgers/visitors?year=2026&format=xlsx",
    )
    .await;
    assert!(
        sheet
            .used_cells()
            .all(|(_, _, cell)| !cell.to_string().contains("13112340008")),
        "no phone in the member's spreadsheet"
    );
    let (_, rooms) = call(
        &app,
        &app.token("demo-city").await,
        Method::GET,
        "/api/v1/rooms",
        None,
    )
    .await;
    let huale = rooms
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "华乐街政协委员工作室")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(ledger(&app, &member, huale, "work", 2026).await.0, 403);
    // The street lead reads its street's room, not another street's.
    let street = app.token("demo-street").await;
    assert_eq!(ledger(&app, &street, HONGQIAO, "visitors", 2026).await.0, 200);
    assert_eq!(ledger(&app, &street, huale, "work", 2026).await.0, 403);
    // The district and the city read every room of their scope with contacts.
    let district = app.token("demo-district").await;
    let (_, body) = ledger(&app, &district, huale, "visitors", 2026).await;
    assert_eq!(body["contacts"], "full");
}

async fn bad_kinds_years_and_rooms_are_refused_clearly(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let staff = app.token("demo-staff").await;
    let (status, body) = ledger(&app, &staff, HONGQIAO, "rules", 2026).await;
    assert_eq!(status, 404, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("「rules」") && message.contains("work"),
        "{message}"
    );
    for year in [2018, 1900, 3000] {
        let (status, body) = ledger(&app, &staff, HONGQIAO, "work", year).await;
        assert_eq!(status, 422, "{year}: {body}");
        assert_eq!(body["error"]["field"], "year");
    }
    for query in ["year=abc", "year=99999999999"] {
        let (status, body) = call(
            &app,
            &staff,
            Method::GET,
            &format!("/api/v1/rooms/1/ledgers/work?{query}"),
            None,
        )
        .await;
        assert_eq!(status, 400, "{query}: {body}");
    }
    let (status, _) = call(
        &app,
        &staff,
        Method::GET,
        "/api/v1/rooms/1/ledgers/work?year=2026&format=pdf",
        None,
    )
    .await;
    assert_eq!(status, 422);
    // An unknown room: 404 for the city; for others no different from another district's room.
    assert_eq!(ledger(&app, &city, 999_999, "work", 2026).await.0, 404);
    assert_eq!(ledger(&app, &staff, 999_999, "work", 2026).await.0, 403);
    let (status, _) = call(&app, &city, Method::GET, "/api/v1/rooms/abc/ledgers/work", None).await;
    assert_eq!(status, 400);
    // A year with nothing in it is an empty ledger, not an error.
    let (status, body) = ledger(&app, &city, HONGQIAO, "visitors", 2019).await;
    assert_eq!((status, rows(&body).len()), (200, 0));

    // The pages answer the same way.
    let (client, _) = app.page_session("demo-staff").await;
    for (path, expected) in [
        ("/admin/rooms/1/ledgers?year=2018", 422),
        ("/admin/rooms/1/ledgers/rules.xlsx?year=2026", 404),
        ("/admin/rooms/1/ledgers/work?year=2026", 404),
        ("/admin/rooms/1/ledgers/work.xlsx?year=3000", 422),
        ("/admin/rooms/2/ledgers?year=2026", 403),
    ] {
        let status = client.get(app.url(path)).send().await.unwrap().status().as_u16();
        assert_eq!(status, expected, "{path}");
    }
}

async fn the_ledgers_page_lists_the_four_with_counts_and_downloads(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let (client, _) = app.page_session("demo-staff").await;
    // Reachable from the room's sessions page.
    let sessions = get_text(&client, &app.url("/admin/rooms/1/sessions?year=2026")).await;
    assert!(sessions.contains("/admin/rooms/1/ledgers?year=2026"));
    let page = get_text(&client, &app.url("/admin/rooms/1/ledgers?year=2026")).await;
    assert!(page.contains("洪桥街政协委员工作室 2026 年台账"));
    for kind in ["work", "activities", "visitors", "members"] {
        let (_, body) = ledger(&app, &staff, HONGQIAO, kind, 2026).await;
        let label = body["kind_label"].as_str().unwrap();
        assert!(page.contains(label), "{label}");
        let line = page
            .split(&format!("id=\"ledger-{kind}\""))
            .nth(1)
            .unwrap()
            .split("</li>")
            .next()
            .unwrap();
        assert!(
            line.contains(&format!("共 {} 条", rows(&body).len())),
            "{kind}: {line}"
        );
        let link = format!("/admin/rooms/1/ledgers/{kind}.xlsx?year=2026");
        assert!(line.contains(&link), "{line}");
        let response = client.get(app.url(&link)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{link}");
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(
            disposition.contains(&format!("ledger-1-2026-{kind}.xlsx")),
            "{disposition}"
        );
        let bytes = response.bytes().await.unwrap().to_vec();
        let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(sheet.height(), rows(&body).len() + 2, "{kind}");
    }
    // A member reaches the ledgers of the room served from the workbench.
    let (member, _) = app.page_session("demo-member").await;
    let me = get_text(&member, &app.url("/me")).await;
    assert!(me.contains("/admin/rooms/1/ledgers"));
    let page = get_text(&member, &app.url("/admin/rooms/1/ledgers")).await;
    assert!(page.contains("不向委员显示"));
}

on_both_databases!(
    the_ledgers_are_derived_from_the_rooms_records,
    every_demo_room_has_a_year_of_ledgers,
    the_spreadsheets_hold_the_same_figures_as_the_json,
    only_the_rooms_side_and_its_members_read_its_ledgers,
    bad_kinds_years_and_rooms_are_refused_clearly,
    the_ledgers_page_lists_the_four_with_counts_and_downloads,
);
