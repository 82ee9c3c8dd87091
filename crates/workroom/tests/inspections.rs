//! Inspections and rectification (督查检查与整改, R15) on both databases: the checklist is prefilled from
//! the room's records; an inspection with findings creates tasks for their owners; bad input writes
//! nothing; the owner reports, the inspecting working department accepts or returns, and a task is
//! closed only when accepted — once, even when two accept at the same moment.

mod common;

use common::{TestApp, call, get_text, hidden_value, statuses_in_parallel};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

/// 石牌街委员联络站: a room the demo leaves uninspected.
const SHIPAI: i64 = 5;

async fn overview(app: &TestApp, token: &str) -> Value {
    let (status, body) = call(app, token, Method::GET, "/api/v1/inspections?year=2026", None).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn tasks_where<'a>(list: &'a Value, pick: impl Fn(&Value) -> bool + 'a) -> Vec<&'a Value> {
    list.as_array().unwrap().iter().filter(|t| pick(t)).collect()
}

async fn the_checklist_is_prefilled_and_findings_become_tasks(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let inspector = app.token("demo-inspector").await;
    let before = overview(&app, &inspector).await;
    assert!(
        before["not_inspected"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == SHIPAI),
        "{before}"
    );
    assert_eq!(before["may_inspect"], true);

    let (status, draft) = call(
        &app,
        &inspector,
        Method::GET,
        &format!("/api/v1/rooms/{SHIPAI}/inspection-checklist?date=2026-11-27"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{draft}");
    let items: Vec<&str> = draft["checklist"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["item"].as_str().unwrap())
        .collect();
    assert_eq!(
        items,
        [
            "staffing",
            "reception_days_held",
            "notices_on_time",
            "ledgers_kept",
            "rules_posted",
            "opinions_answered"
        ]
    );
    // 石牌 keeps no rules in the demo: the records say the rules are not on the wall.
    let rules = &draft["checklist"][4];
    assert_eq!(rules["passed"], false, "{rules}");
    assert_eq!(rules["evidence"], "现行制度 0 项");

    let good = json!({
        "room_id": SHIPAI,
        "date": "2026-11-27",
        "remarks": "接待日按期开展。",
        "findings": [
            { "text": "工作室制度未上墙", "owner": "room_staff", "due_date": "2026-12-31" },
            { "text": "经费未列入街道预算", "owner": "street_lead", "due_date": "2027-01-31" }
        ]
    });
    // Bad input: each refused with the field and a message, nothing written.
    let mut bad = Vec::new();
    let mut without_owner = good.clone();
    without_owner["findings"][1]["owner"] = Value::Null;
    bad.push((without_owner, "没有整改责任方"));
    let mut without_due = good.clone();
    without_due["findings"][0]
        .as_object_mut()
        .unwrap()
        .remove("due_date");
    bad.push((without_due, "没有整改期限"));
    let mut unknown_owner = good.clone();
    unknown_owner["findings"][0]["owner"] = json!("mayor");
    bad.push((unknown_owner, "不认识"));
    let mut future = good.clone();
    future["date"] = json!("2026-12-01");
    bad.push((future, "不能晚于今天"));
    let mut overruled = good.clone();
    overruled["checklist"] = json!([{ "item": "rules_posted", "passed": true }]);
    bad.push((overruled, "请写明理由"));
    let mut unknown_item = good.clone();
    unknown_item["checklist"] = json!([{ "item": "flowers", "passed": true }]);
    bad.push((unknown_item, "不认识的检查项"));
    for (body, says) in bad {
        let (status, answer) = call(&app, &inspector, Method::POST, "/api/v1/inspections", Some(body)).await;
        assert_eq!(status, 422, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{message}");
    }
    assert_eq!(
        overview(&app, &inspector).await["items"],
        before["items"],
        "a refused inspection writes nothing"
    );
    // Not a working department: refused, whoever reads the room.
    let district = app.token("demo-district").await;
    let (status, _) = call(
        &app,
        &district,
        Method::POST,
        "/api/v1/inspections",
        Some(good.clone()),
    )
    .await;
    assert_eq!(status, 403);

    // Overruling with a reason is recorded as decided.
    let mut recorded = good.clone();
    recorded["checklist"] =
        json!([{ "item": "rules_posted", "passed": true, "note": "制度已上墙，系统尚未录入" }]);
    let (status, created) = call(
        &app,
        &inspector,
        Method::POST,
        "/api/v1/inspections",
        Some(recorded),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (status, inspection) = call(
        &app,
        &inspector,
        Method::GET,
        &format!("/api/v1/inspections/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{inspection}");
    assert_eq!(inspection["checklist"][4]["passed"], true);
    assert_eq!(inspection["checklist"][4]["note"], "制度已上墙，系统尚未录入");
    assert_eq!(inspection["inspector"], "市政协委员工作室督导组（演示）");
    let tasks = inspection["rectifications"].as_array().unwrap();
    assert_eq!(tasks.len(), 2);
    assert!(tasks.iter().all(|t| t["status"] == "open"));
    let after = overview(&app, &inspector).await;
    assert!(
        !after["not_inspected"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == SHIPAI)
    );
    // 石牌 lies in 天河区: 越秀区's staff never see it, the city general office does.
    let (_, yuexiu) = call(
        &app,
        &district,
        Method::GET,
        &format!("/api/v1/inspections/{id}"),
        None,
    )
    .await;
    assert_eq!(yuexiu["error"]["code"], "forbidden", "{yuexiu}");
    let (status, _) = call(
        &app,
        &app.token("demo-city").await,
        Method::GET,
        &format!("/api/v1/inspections/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
}

async fn a_task_closes_only_when_the_inspector_accepts_it(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let inspector = app.token("demo-inspector").await;
    let staff = app.token("demo-staff").await;
    let street = app.token("demo-street").await;
    let (_, all) = call(
        &app,
        &inspector,
        Method::GET,
        "/api/v1/rectifications?status=all",
        None,
    )
    .await;
    // The demo holds a task in every state, one of them past due with its owner.
    let mut states: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    states.sort_unstable();
    states.dedup();
    assert_eq!(states, ["closed", "open", "reported", "returned"], "{all}");
    assert!(!tasks_where(&all, |t| t["days_past_due"].as_i64().is_some_and(|d| d > 0)).is_empty());

    let open_of = |owner: &'static str| {
        tasks_where(&all, move |t| t["status"] == "open" && t["owner"] == owner)[0]["id"]
            .as_i64()
            .unwrap()
    };
    let staff_task = open_of("room_staff");
    let street_task = open_of("street_lead");
    let act = |token: &str, id: i64, body: Value| {
        let app = &app;
        let token = token.to_owned();
        async move {
            call(
                app,
                &token,
                Method::POST,
                &format!("/api/v1/rectifications/{id}/actions"),
                Some(body),
            )
            .await
        }
    };
    // Only the owner reports; nobody accepts an unreported task.
    let (status, _) = act(
        &street,
        staff_task,
        json!({ "action": "report", "text": "已整改" }),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = act(&inspector, staff_task, json!({ "action": "accept" })).await;
    assert_eq!(status, 409);
    let (status, body) = act(&staff, staff_task, json!({ "action": "report", "text": "  " })).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = act(&staff, staff_task, json!({ "action": "nap" })).await;
    assert!(status == 400 || status == 422, "{status} {body}");
    let (status, body) = act(
        &staff,
        staff_task,
        json!({ "action": "report", "text": "已在公告栏和小区出入口张贴。" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "reported");
    assert_eq!(body["actions"], json!([]), "the owner waits for the inspector");
    // The owner cannot accept their own work; the inspector returns it with a reason.
    let (status, _) = act(&staff, staff_task, json!({ "action": "accept" })).await;
    assert_eq!(status, 403);
    let (status, _) = act(
        &inspector,
        staff_task,
        json!({ "action": "return", "reason": "" }),
    )
    .await;
    assert_eq!(status, 422);
    let (status, body) = act(
        &inspector,
        staff_task,
        json!({ "action": "return", "reason": "请附张贴照片。" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "returned");
    let (status, body) = act(
        &staff,
        staff_task,
        json!({ "action": "report", "text": "已补张贴照片说明。" }),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    // Two accepts at the same moment: one closes it, the other is told it moved.
    let requests = (0..2)
        .map(|_| {
            app.with_token(
                Method::POST,
                &format!("/api/v1/rectifications/{staff_task}/actions"),
                &inspector,
            )
            .json(&json!({ "action": "accept" }))
        })
        .collect();
    let mut statuses = statuses_in_parallel(requests).await;
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let (_, task) = call(
        &app,
        &staff,
        Method::GET,
        &format!("/api/v1/rectifications/{staff_task}"),
        None,
    )
    .await;
    assert_eq!(task["status"], "closed");
    assert!(task["closed_at"].is_string());
    let steps: Vec<&str> = task["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["step"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["report", "return", "report", "accept"]);
    let (status, _) = act(
        &staff,
        staff_task,
        json!({ "action": "report", "text": "再报一次" }),
    )
    .await;
    assert_eq!(status, 409, "a closed task takes no step");

    // The street lead reports the street's task; the street lead never sees another street's.
    let (status, _) = act(
        &street,
        street_task,
        json!({ "action": "report", "text": "已列入 2027 年预算。" }),
    )
    .await;
    assert_eq!(status, 200);
    let (_, mine) = call(
        &app,
        &street,
        Method::GET,
        "/api/v1/rectifications?status=all",
        None,
    )
    .await;
    assert!(
        mine.as_array()
            .unwrap()
            .iter()
            .all(|t| t["room_name"] == "洪桥街政协委员工作室"),
        "{mine}"
    );
    let (status, _) = call(
        &app,
        &street,
        Method::GET,
        "/api/v1/rectifications?status=soon",
        None,
    )
    .await;
    assert_eq!(status, 422);
    // Inspecting, the working department reads cases with residents' contacts masked (X7), as in the
    // ledgers; the room's staff see them in full.
    let (_, page) = call(
        &app,
        &inspector,
        Method::GET,
        "/api/v1/opinions?per_page=100",
        None,
    )
    .await;
    let with_phone = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["room_id"] == 1 && c["contact_phone"].is_string())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    for (token, masked) in [(&inspector, true), (&staff, false)] {
        let (status, case) = call(
            &app,
            token,
            Method::GET,
            &format!("/api/v1/opinions/{with_phone}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(
            case["contact_phone"].as_str().unwrap().contains('*'),
            masked,
            "{case}"
        );
        assert_eq!(
            case["tracking_code"].as_str().unwrap().contains('*'),
            masked,
            "{case}"
        );
    }
    // Members and departments see no inspections at all.
    for who in ["demo-member", "demo-dept", "demo-district-dept"] {
        let (status, _) = call(
            &app,
            &app.token(who).await,
            Method::GET,
            "/api/v1/rectifications",
            None,
        )
        .await;
        assert_eq!(status, 403, "{who}");
    }
}

async fn the_inspector_records_and_the_owner_reports_on_pages(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (inspector, _) = app.page_session("demo-inspector").await;
    let overview = get_text(&inspector, &app.url("/admin/inspections")).await;
    assert!(overview.contains("本年尚未检查的工作室"), "{overview}");
    assert!(overview.contains(&format!("/admin/inspections/new?room_id={SHIPAI}")));
    let form = get_text(
        &inspector,
        &app.url(&format!(
            "/admin/inspections/new?room_id={SHIPAI}&date=2026-11-27"
        )),
    )
    .await;
    assert!(form.contains("系统核对：现行制度 0 项"), "{form}");
    let csrf = hidden_value(&form, "csrf");
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut fields = fields;
        let csrf = csrf.clone();
        let client = inspector.clone();
        let url = app.url("/admin/inspections");
        async move {
            fields.push(("room_id", "5"));
            fields.push(("date", "2026-11-27"));
            let mut body: Vec<(&str, String)> = fields.into_iter().map(|(k, v)| (k, v.to_owned())).collect();
            body.push(("csrf", csrf));
            client.post(url).form(&body).send().await.unwrap()
        }
    };
    // A finding without its owner: the form again, 422, with the message and the text kept.
    let refused = post(vec![
        ("finding_1_text", "制度未上墙，请补挂"),
        ("finding_1_due", "2026-12-31"),
    ])
    .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("没有整改责任方"), "{page}");
    assert!(page.contains("制度未上墙，请补挂"));
    let done = post(vec![
        ("finding_1_text", "制度未上墙，请补挂"),
        ("finding_1_owner", "room_staff"),
        ("finding_1_due", "2026-12-31"),
        ("check_staffing", "fail"),
    ])
    .await;
    assert_eq!(done.status(), 303);
    let location = done.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/admin/inspections/"), "{location}");
    let shown = get_text(&inspector, &app.url(&location)).await;
    assert!(
        shown.contains("检查记录已保存，1 项整改任务已交责任方"),
        "{shown}"
    );

    // demo-staff reports on 洪桥's open task by the page form.
    let (staff, _) = app.page_session("demo-staff").await;
    let list = get_text(&staff, &app.url("/admin/rectifications")).await;
    assert!(list.contains("待您办理"), "{list}");
    let token = app.token("demo-staff").await;
    let (_, tasks) = call(&app, &token, Method::GET, "/api/v1/rectifications", None).await;
    let task = tasks_where(&tasks, |t| t["actions"] == json!(["report"]))[0]["id"]
        .as_i64()
        .unwrap();
    let page = get_text(&staff, &app.url(&format!("/admin/rectifications/{task}"))).await;
    assert!(page.contains("报告整改情况"));
    let csrf = hidden_value(&page, "csrf");
    let empty = staff
        .post(app.url(&format!("/admin/rectifications/{task}")))
        .form(&[("csrf", csrf.as_str()), ("step", "report"), ("text", " ")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
    let reported = staff
        .post(app.url(&format!("/admin/rectifications/{task}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("step", "report"),
            ("text", "已整改完毕"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(reported.status(), 303);
    let page = get_text(&staff, &app.url(&format!("/admin/rectifications/{task}"))).await;
    assert!(page.contains("待验收") && page.contains("已整改完毕"), "{page}");
}

async fn kinds_of(app: &TestApp, who: &str) -> Vec<(String, String)> {
    let token = app.token(who).await;
    let (status, list) = call(
        app,
        &token,
        Method::GET,
        "/api/v1/notifications?per_page=100",
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_owned(),
                n["link"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn has(notes: &[(String, String)], kind: &str, link: &str) -> bool {
    notes.iter().any(|(k, l)| k == kind && l == link)
}

async fn owners_and_inspectors_are_told_what_waits_and_what_is_late(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let (_, all) = call(
        &app,
        &city,
        Method::GET,
        "/api/v1/rectifications?status=all",
        None,
    )
    .await;
    let find = |status: &str, owner: &str| {
        let task = tasks_where(&all, |t| t["status"] == status && t["owner"] == owner)[0];
        format!("/admin/rectifications/{}", task["id"])
    };
    let staff_open = find("open", "room_staff");
    let street_late = find("open", "street_lead");
    let reported = find("reported", "room_staff");
    // The demo's scan: each owner told of its task, the overdue one pressed on the inspectors too,
    // the reported one waiting for them.
    let staff = kinds_of(&app, "demo-staff").await;
    assert!(has(&staff, "rectification_waiting", &staff_open), "{staff:?}");
    let street = kinds_of(&app, "demo-street").await;
    assert!(has(&street, "rectification_overdue", &street_late), "{street:?}");
    let inspector = kinds_of(&app, "demo-inspector").await;
    assert!(
        has(&inspector, "rectification_overdue", &street_late),
        "{inspector:?}"
    );
    assert!(
        has(&inspector, "rectification_waiting", &reported),
        "{inspector:?}"
    );
    assert!(
        !has(&inspector, "rectification_waiting", &staff_open),
        "an open task waits on its owner"
    );
    // The other district's staff hear nothing of 越秀区's tasks.
    let other = kinds_of(&app, "demo-other-district").await;
    assert!(
        other.iter().all(|(k, _)| !k.starts_with("rectification")),
        "{other:?}"
    );

    // The owner reports: the inspectors are told at once.
    let id: i64 = staff_open.rsplit('/').next().unwrap().parse().unwrap();
    let (status, _) = call(
        &app,
        &app.token("demo-staff").await,
        Method::POST,
        &format!("/api/v1/rectifications/{id}/actions"),
        Some(json!({ "action": "report", "text": "已张贴" })),
    )
    .await;
    assert_eq!(status, 200);
    assert!(has(
        &kinds_of(&app, "demo-inspector").await,
        "rectification_waiting",
        &staff_open
    ));
    // Returned, it is a new round for the owner.
    let (status, _) = call(
        &app,
        &app.token("demo-inspector").await,
        Method::POST,
        &format!("/api/v1/rectifications/{id}/actions"),
        Some(json!({ "action": "return", "reason": "请附照片" })),
    )
    .await;
    assert_eq!(status, 200);
    let staff = kinds_of(&app, "demo-staff").await;
    assert_eq!(
        staff
            .iter()
            .filter(|(k, l)| k == "rectification_waiting" && *l == staff_open)
            .count(),
        2,
        "{staff:?}"
    );
    // Three days before its due day (12-14), the scan raises it with the owner; not four days before.
    app.clock.advance(chrono::Duration::days(10));
    let scanner = app::App::new(
        store::Store::connect(&app.db.url()).await.unwrap(),
        app.clock.clone(),
    );
    scanner.send_reminders().await.unwrap();
    assert!(!has(
        &kinds_of(&app, "demo-staff").await,
        "rectification_due",
        &staff_open
    ));
    app.clock.advance(chrono::Duration::days(1));
    scanner.send_reminders().await.unwrap();
    assert!(has(
        &kinds_of(&app, "demo-staff").await,
        "rectification_due",
        &staff_open
    ));
}

async fn an_inspection_sent_twice_is_recorded_once(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let inspector = app.token("demo-inspector").await;
    let before = overview(&app, &inspector).await["items"]
        .as_array()
        .unwrap()
        .len();
    let body = json!({
        "room_id": SHIPAI, "date": "2026-11-27", "remarks": "接待日按期开展。",
        "findings": [{ "text": "工作室制度未上墙", "owner": "room_staff", "due_date": "2026-12-31" }],
        "client_key": "inspect-shipai-20261127",
    });
    // A double tap, a retry and a flaky network at once: one inspection, one task, each answer its id.
    let requests = (0..50)
        .map(|_| {
            app.with_token(Method::POST, "/api/v1/inspections", &inspector)
                .json(&body)
        })
        .collect::<Vec<_>>();
    let statuses = statuses_in_parallel(requests).await;
    assert!(statuses.iter().all(|&s| s == 201), "{statuses:?}");
    let after = overview(&app, &inspector).await;
    assert_eq!(after["items"].as_array().unwrap().len(), before + 1);
    let (status, again) = call(
        &app,
        &inspector,
        Method::POST,
        "/api/v1/inspections",
        Some(body.clone()),
    )
    .await;
    assert_eq!(status, 201);
    let ids = [again["id"].as_i64().unwrap()];
    let (_, one) = call(
        &app,
        &inspector,
        Method::GET,
        &format!("/api/v1/inspections/{}", ids[0]),
        None,
    )
    .await;
    assert_eq!(one["rectifications"].as_array().unwrap().len(), 1, "{one}");

    // The key with something else: 409; a malformed key: 422; nothing more written.
    let mut other = body.clone();
    other["remarks"] = json!("另一次检查");
    let (status, _) = call(&app, &inspector, Method::POST, "/api/v1/inspections", Some(other)).await;
    assert_eq!(status, 409);
    let mut malformed = body.clone();
    malformed["client_key"] = json!("短");
    let (status, err) = call(
        &app,
        &inspector,
        Method::POST,
        "/api/v1/inspections",
        Some(malformed),
    )
    .await;
    assert_eq!(
        (status, err["error"]["field"].as_str()),
        (422, Some("client_key")),
        "{err}"
    );
    assert_eq!(
        overview(&app, &inspector).await["items"]
            .as_array()
            .unwrap()
            .len(),
        before + 1
    );

    // The page's form carries a fresh key: the same form posted twice is one inspection.
    let (client, _) = app.page_session("demo-inspector").await;
    let form = get_text(
        &client,
        &app.url(&format!(
            "/admin/inspections/new?room_id={SHIPAI}&date=2026-11-20"
        )),
    )
    .await;
    let fields = vec![
        ("csrf", hidden_value(&form, "csrf")),
        ("client_key", hidden_value(&form, "client_key")),
        ("room_id", SHIPAI.to_string()),
        ("date", "2026-11-20".to_owned()),
        ("remarks", "复查。".to_owned()),
    ];
    let mut places = Vec::new();
    for _ in 0..2 {
        let response = client
            .post(app.url("/admin/inspections"))
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        places.push(response.headers()["location"].to_str().unwrap().to_owned());
    }
    assert_eq!(places[0], places[1], "{places:?}");
    assert!(places[0].starts_with("/admin/inspections/"), "{places:?}");
    assert_eq!(
        overview(&app, &inspector).await["items"]
            .as_array()
            .unwrap()
            .len(),
        before + 2
    );
}

async fn plan_line(app: &TestApp, token: &str, room_id: i64) -> Value {
    let (status, plan) = call(
        app,
        token,
        Method::GET,
        "/api/v1/inspection-plans?year=2026",
        None,
    )
    .await;
    assert_eq!(status, 200, "{plan}");
    plan.as_array()
        .unwrap()
        .iter()
        .find(|l| l["room"]["id"] == room_id)
        .unwrap_or_else(|| panic!("room {room_id} in {plan}"))
        .clone()
}

/// The year's plan (年度检查计划): the working department plans a room not yet inspected, moves it,
/// and the room counts as inspected once it is; bad days and other accounts change nothing, and
/// planners at once leave one line.
async fn the_year_is_planned_room_by_room(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let inspector = app.token("demo-inspector").await;
    let put = |room: i64, body: Value| {
        let app = &app;
        let inspector = inspector.clone();
        async move {
            call(
                app,
                &inspector,
                Method::PUT,
                &format!("/api/v1/inspection-plans/{room}/2026"),
                Some(body),
            )
            .await
        }
    };
    let before = plan_line(&app, &inspector, SHIPAI).await;
    assert_eq!(before["standing"], "unplanned", "{before}");
    assert_eq!(before["may_plan"], true);

    // Bad input: a past day, another year's day, no day, nobody going — 422, nothing written.
    for (body, field) in [
        (
            json!({"planned_on": "2026-11-02", "inspectors": "王某"}),
            "planned_on",
        ),
        (
            json!({"planned_on": "2027-01-12", "inspectors": "王某"}),
            "planned_on",
        ),
        (
            json!({"planned_on": "12月15日", "inspectors": "王某"}),
            "planned_on",
        ),
        (
            json!({"planned_on": "2026-12-15", "inspectors": "  "}),
            "inspectors",
        ),
    ] {
        let (status, err) = put(SHIPAI, body.clone()).await;
        assert_eq!(status, 422, "{body}: {err}");
        assert_eq!(err["error"]["field"], field, "{err}");
    }
    let (status, _) = put(999_999, json!({"planned_on": "2026-12-15", "inspectors": "王某"})).await;
    assert_eq!(status, 404);
    for account in ["demo-district", "demo-street", "demo-staff", "demo-city"] {
        let token = app.token(account).await;
        let (status, _) = call(
            &app,
            &token,
            Method::PUT,
            &format!("/api/v1/inspection-plans/{SHIPAI}/2026"),
            Some(json!({"planned_on": "2026-12-15", "inspectors": "王某"})),
        )
        .await;
        assert_eq!(status, 403, "{account}");
    }
    assert_eq!(
        plan_line(&app, &inspector, SHIPAI).await,
        before,
        "nothing written"
    );

    let (status, planned) = put(
        SHIPAI,
        json!({"planned_on": "2026-12-15", "inspectors": "市政协社会和法制委员会 王某、李某"}),
    )
    .await;
    assert_eq!(status, 200, "{planned}");
    assert_eq!(planned["standing"], "planned");
    assert_eq!(planned["planned_on"], "2026-12-15");
    assert_eq!(planned["inspectors"], "市政协社会和法制委员会 王某、李某");
    // The city general office reads the plan, and plans nothing.
    let city = app.token("demo-city").await;
    let seen = plan_line(&app, &city, SHIPAI).await;
    assert_eq!(
        (seen["planned_on"].clone(), seen["may_plan"].clone()),
        (json!("2026-12-15"), json!(false))
    );

    // Planners at once leave one line, on one of the days sent.
    let requests = (0..10)
        .map(|n| {
            app.with_token(
                Method::PUT,
                &format!("/api/v1/inspection-plans/{SHIPAI}/2026"),
                &inspector,
            )
            .json(&json!({"planned_on": format!("2026-12-{:02}", 10 + n), "inspectors": format!("第{n}组")}))
        })
        .collect();
    let statuses = statuses_in_parallel(requests).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let (_, plan) = call(
        &app,
        &inspector,
        Method::GET,
        "/api/v1/inspection-plans?year=2026",
        None,
    )
    .await;
    let lines: Vec<&Value> = plan
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["room"]["id"] == SHIPAI)
        .collect();
    assert_eq!(lines.len(), 1, "{plan}");
    let day = lines[0]["planned_on"].as_str().unwrap();
    let group = lines[0]["inspectors"].as_str().unwrap();
    let n: u32 = group
        .trim_start_matches('第')
        .trim_end_matches('组')
        .parse()
        .unwrap();
    assert_eq!(
        day,
        format!("2026-12-{:02}", 10 + n),
        "day and group from one request"
    );

    // Inspected: the line says so and the room is no longer planned.
    let (status, _) = call(
        &app,
        &inspector,
        Method::POST,
        "/api/v1/inspections",
        Some(json!({"room_id": SHIPAI, "date": "2026-11-27", "remarks": "按计划提前检查。"})),
    )
    .await;
    assert_eq!(status, 201);
    let done = plan_line(&app, &inspector, SHIPAI).await;
    assert_eq!(done["standing"], "inspected");
    assert_eq!(done["inspected_on"], "2026-11-27");
    assert_eq!(done["may_plan"], false);
    let (status, err) = put(SHIPAI, json!({"planned_on": "2026-12-20", "inspectors": "王某"})).await;
    assert_eq!(status, 409, "{err}");

    // On the page: the form re-shown with the reason for a past day, then saved.
    let (client, csrf) = app.page_session("demo-inspector").await;
    let page = get_text(&client, &app.url("/admin/inspections?year=2026")).await;
    assert!(
        page.contains("2026 年检查计划") && page.contains("已检查"),
        "{page}"
    );
    // The demo's plan: one room's day passed uninspected, one due within the week — both on /me.
    let me = get_text(&client, &app.url("/me")).await;
    assert!(me.contains("1 个工作室已过计划检查日期，尚未检查"), "{me}");
    assert!(me.contains("未来 7 天计划检查 1 个工作室"), "{me}");
    let (_, plan) = call(
        &app,
        &inspector,
        Method::GET,
        "/api/v1/inspection-plans?year=2026",
        None,
    )
    .await;
    let room_id = plan
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["may_plan"] == true)
        .expect("a room still to plan")["room"]["id"]
        .as_i64()
        .unwrap();
    let post = |day: &'static str| {
        client
            .post(app.url("/admin/inspections/plan"))
            .form(&[
                ("csrf", csrf.clone()),
                ("room_id", room_id.to_string()),
                ("year", "2026".to_owned()),
                ("planned_on", day.to_owned()),
                ("inspectors", "区政协工作部门 张某".to_owned()),
            ])
            .send()
    };
    let response = post("2026-01-05").await.unwrap();
    assert_eq!(response.status(), 422);
    let body = response.text().await.unwrap();
    assert!(
        body.contains("计划检查日期不能早于今天") && body.contains("区政协工作部门 张某"),
        "{body}"
    );
    let response = post("2026-12-18").await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        plan_line(&app, &inspector, room_id).await["planned_on"],
        "2026-12-18"
    );
}

/// A small photo as a phone takes it.
fn photo_jpeg() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([
            u8::try_from(x % 256).unwrap(),
            u8::try_from(y % 256).unwrap(),
            120,
        ])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&picture)
        .unwrap();
    jpeg
}

/// Evidence of a rectification (整改佐证): the owner adds photos while the task is theirs to report,
/// at most six even sent at once; the inspector sees them; nobody else adds any, nor after reporting;
/// a file that is not a photo is refused.
async fn the_owner_adds_photos_as_evidence_of_a_rectification(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let inspector = app.token("demo-inspector").await;
    let staff = app.token("demo-staff").await;
    let (_, all) = call(
        &app,
        &staff,
        Method::GET,
        "/api/v1/rectifications?status=all",
        None,
    )
    .await;
    let task = tasks_where(&all, |t| t["status"] == "open" && t["owner"] == "room_staff")[0].clone();
    let id = task["id"].as_i64().unwrap();
    assert_eq!(task["may_add_photo"], true, "{task}");
    let send = |token: &str, bytes: Vec<u8>| {
        app.with_token(
            Method::POST,
            &format!("/api/v1/rectifications/{id}/photos"),
            token,
        )
        .header("content-type", "image/jpeg")
        .body(bytes)
    };

    // Not a photo; not the owner — refused, nothing kept.
    let response = send(&staff, b"not a photo".to_vec()).send().await.unwrap();
    assert_eq!(response.status(), 422);
    for account in ["demo-inspector", "demo-street", "demo-district", "demo-member"] {
        let token = app.token(account).await;
        let response = send(&token, photo_jpeg()).send().await.unwrap();
        assert_eq!(response.status(), 403, "{account}");
    }

    // Eight at once: six are kept.
    let statuses = statuses_in_parallel((0..8).map(|_| send(&staff, photo_jpeg())).collect()).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 6, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 2, "{statuses:?}");
    let (_, seen) = call(
        &app,
        &inspector,
        Method::GET,
        &format!("/api/v1/rectifications/{id}"),
        None,
    )
    .await;
    let photos = seen["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 6, "{seen}");
    assert_eq!(seen["may_add_photo"], false, "the inspector adds none");

    // The inspector's page shows them; the file is a JPEG for those in scope only.
    let (client, _) = app.page_session("demo-inspector").await;
    let url = photos[0].as_str().unwrap();
    let response = client.get(app.url(url)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let (member, _) = app.page_session("demo-member").await;
    assert_eq!(member.get(app.url(url)).send().await.unwrap().status(), 403);
    let page = get_text(&client, &app.url(&format!("/admin/rectifications/{id}"))).await;
    assert!(page.contains("整改佐证照片（6 张）"), "{page}");

    // Once reported, the evidence is what it was.
    let (status, _) = call(
        &app,
        &staff,
        Method::POST,
        &format!("/api/v1/rectifications/{id}/actions"),
        Some(json!({"action": "report", "text": "已补齐台账，照片见附件。"})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        &app,
        &staff,
        Method::GET,
        &format!("/api/v1/rectifications/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let response = send(&staff, photo_jpeg()).send().await.unwrap();
    assert_eq!(response.status(), 409);
}

/// On the page: the owner uploads a photo with the form; a broken file is shown again with the reason.
async fn the_owner_uploads_evidence_on_the_page(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let (_, all) = call(
        &app,
        &staff,
        Method::GET,
        "/api/v1/rectifications?status=all",
        None,
    )
    .await;
    let id = tasks_where(&all, |t| t["status"] == "open" && t["owner"] == "room_staff")[0]["id"]
        .as_i64()
        .unwrap();
    let (client, csrf) = app.page_session("demo-staff").await;
    let page = get_text(&client, &app.url(&format!("/admin/rectifications/{id}"))).await;
    assert!(page.contains("添加照片"), "{page}");
    let upload = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().text("csrf", csrf.clone()).part(
            "photo",
            reqwest::multipart::Part::bytes(bytes)
                .file_name("整改.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        );
        client
            .post(app.url(&format!("/admin/rectifications/{id}/photos")))
            .multipart(form)
            .send()
    };
    let response = upload(b"GIF89a broken".to_vec()).await.unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("role=\"alert\""));
    let response = upload(photo_jpeg()).await.unwrap();
    assert_eq!(response.status(), 303);
    let page = get_text(&client, &app.url(&format!("/admin/rectifications/{id}"))).await;
    assert!(page.contains("整改佐证照片（1 张）"), "{page}");
}

on_both_databases!(
    the_owner_adds_photos_as_evidence_of_a_rectification,
    the_owner_uploads_evidence_on_the_page,
    the_year_is_planned_room_by_room,
    an_inspection_sent_twice_is_recorded_once,
    owners_and_inspectors_are_told_what_waits_and_what_is_late,
    the_checklist_is_prefilled_and_findings_become_tasks,
    a_task_closes_only_when_the_inspector_accepts_it,
    the_inspector_records_and_the_owner_reports_on_pages,
);
