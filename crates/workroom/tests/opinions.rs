//! Citizens' opinions (R11, R13, X7) on both databases: online submission with tracking, bad input and
//! rate limits, the street and petition routes step by step with the right party at each step, the
//! resident's rating, screening out, contact data masked and never on the public page.

mod common;

use common::{TestApp, call, case_id, count_of, get_text, hidden_value, new_client, statuses_in_parallel};
use reqwest::Method;
use serde_json::{Value, json};
use store::on_both_databases;
use store::test_support::TestDatabase;

const HONGQIAO: i64 = 1;

fn submission(phone: &str) -> Value {
    json!({
        "content": "三眼井社区北门的人行道地砖松动，下雨天容易摔倒，希望尽快修补。",
        "contact_name": "李秀英",
        "contact_phone": phone,
        "community": "三眼井社区",
        "consent": true,
    })
}

async fn submit(app: &TestApp, body: &Value) -> (u16, Value) {
    let response = new_client()
        .post(app.url(&format!("/api/v1/public/rooms/{HONGQIAO}/opinions")))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn step(app: &TestApp, token: &str, id: i64, body: Value) -> (u16, Value) {
    call(
        app,
        token,
        Method::POST,
        &format!("/api/v1/opinions/{id}/actions"),
        Some(body),
    )
    .await
}

async fn residents_submit_online_and_follow_their_case(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (status, created) = submit(&app, &submission("13900001111")).await;
    assert_eq!(status, 201, "{created}");
    let code = created["tracking_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 14);
    assert!(
        code.chars()
            .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase())
    );
    assert!(
        !code.contains(['0', 'O', '1', 'I', 'L']),
        "no confusable symbols: {code}"
    );

    // The public status: plain words, no personal data.
    let response = new_client()
        .get(app.url(&format!(
            "/api/v1/public/track/{}",
            code.to_lowercase().replace('-', "")
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "typed in lower case without hyphens");
    let text = response.text().await.unwrap();
    assert!(
        !text.contains("李秀英") && !text.contains("13900001111"),
        "{text}"
    );
    let public: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(public["status"], "received");
    assert_eq!(public["status_label"], "已受理，正在分办");

    // Bad input: a clear 4xx each, nothing stored.
    let staff = app.token("demo-staff").await;
    let (_, before) = common::case_list(&app, &staff).await;
    let cases = [
        (json!({"content": "   "}), 422, "不能为空"),
        (json!({"content": "长".repeat(2001)}), 422, "过长"),
        (json!({"content": "响\u{0007}铃"}), 422, "控制字符"),
        (json!({"consent": false}), 422, "同意"),
        (json!({"contact_phone": "020-83001234"}), 422, "手机号码"),
        (json!({"contact_name": ""}), 422, "姓名"),
        (json!({"website": "http://spam.example"}), 422, "校验"),
    ];
    for (change, expected, words) in cases {
        let mut bad = submission("13900002222");
        for (key, value) in change.as_object().unwrap() {
            bad[key] = value.clone();
        }
        let (status, err) = submit(&app, &bad).await;
        assert_eq!(status, expected, "{bad} → {err}");
        assert!(err["error"]["message"].as_str().unwrap().contains(words), "{err}");
    }
    let response = new_client()
        .post(app.url("/api/v1/public/rooms/999999/opinions"))
        .json(&submission("13900002222"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let (_, after) = common::case_list(&app, &staff).await;
    assert_eq!(before, after, "nothing half-written");

    // Markup and formula prefixes are kept as harmless text.
    let mut hostile = submission("13900003333");
    hostile["content"] = json!("=HYPERLINK(\"http://x\") <script>alert(1)</script>");
    let (status, created) = submit(&app, &hostile).await;
    assert_eq!(status, 201);
    let id = case_id(&app, &staff, created["tracking_code"].as_str().unwrap()).await;
    let (client, _) = app.page_session("demo-staff").await;
    let html = get_text(&client, &app.url(&format!("/admin/opinions/{id}"))).await;
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&#60;script&#62;"));

    // One phone: five a day.
    for _ in 0..4 {
        assert_eq!(submit(&app, &submission("13900004444")).await.0, 201);
    }
    assert_eq!(submit(&app, &submission("13900004444")).await.0, 201);
    let (status, err) = submit(&app, &submission("13900004444")).await;
    assert_eq!(status, 429, "{err}");

    // The page form shows a limit as the form again, with the 429 and when to come back.
    let form = [
        ("content", "三眼井社区北门的人行道地砖松动，希望尽快修补。"),
        ("contact_name", "李秀英"),
        ("contact_phone", "13900004444"),
        ("consent", "1"),
    ];
    let response = new_client()
        .post(app.url(&format!("/rooms/{HONGQIAO}/opinions")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("三眼井社区北门的人行道地砖松动"),
        "the form keeps what was typed"
    );

    // Unknown codes answer 404; guessing is cut off.
    let unknown = |code: &str| {
        let app = &app;
        let code = code.to_owned();
        async move {
            new_client()
                .get(app.url(&format!("/api/v1/public/track/{code}")))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(unknown("2222-2222-2222").await, 404);
    assert_eq!(unknown("nonsense").await, 404);
    let mut last = 0;
    for _ in 0..25 {
        last = unknown("2345-6789-ABCD").await;
    }
    assert_eq!(last, 429, "guessing is rate-limited");
}

async fn a_case_runs_the_street_route_to_the_residents_rating(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let lead = app.token("demo-street").await;
    let dept = app.token("demo-dept").await;
    let petition = app.token("demo-petition").await;
    let other = app.token("demo-other-district").await;
    let (_, created) = submit(&app, &submission("13900005555")).await;
    let code = created["tracking_code"].as_str().unwrap().to_owned();
    let id = case_id(&app, &staff, &code).await;

    // Lists mask the resident; one case shows them to the room's staff.
    let (_, list) = common::case_list(&app, &staff).await;
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(listed["contact_name"], "李**");
    assert_eq!(listed["contact_phone"], "139****5555");
    let (status, one) = call(&app, &staff, Method::GET, &format!("/api/v1/opinions/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(one["contact_name"], "李秀英");
    assert_eq!(
        one["next_actions"],
        json!([
            "screen_out",
            "answer_on_spot",
            "refer_to_street",
            "send_to_petition",
            "assign_member"
        ])
    );
    // The department and other districts see nothing yet.
    for token in [&dept, &petition, &other] {
        let (status, _) = call(&app, token, Method::GET, &format!("/api/v1/opinions/{id}"), None).await;
        assert_eq!(status, 403);
    }

    let (status, _) = step(&app, &lead, id, json!({"action": "refer_to_street"})).await;
    assert_eq!(status, 403, "the street lead does not triage");
    let (status, err) = step(&app, &staff, id, json!({"action": "close", "summary": "x"})).await;
    assert_eq!(status, 409, "{err}");
    let (status, err) = step(&app, &staff, id, json!({"action": "fly"})).await;
    assert_eq!(status, 422, "{err}");
    let (status, moved) = step(&app, &staff, id, json!({"action": "refer_to_street"})).await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["status"], "at_street_lead");
    assert_eq!(moved["due_on"], "2026-12-01", "one working day");

    let (_, departments) = call(&app, &lead, Method::GET, "/api/v1/departments", None).await;
    let street_office = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "洪桥街道公共服务办公室")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (_, all) = call(
        &app,
        &app.token("demo-city").await,
        Method::GET,
        "/api/v1/departments",
        None,
    )
    .await;
    let bureau = all
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "越秀区住房和建设局")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let (status, _) = step(
        &app,
        &staff,
        id,
        json!({"action": "instruct", "department_id": street_office, "instruction": "办"}),
    )
    .await;
    assert_eq!(status, 403, "staff do not instruct");
    let (status, _) = step(
        &app,
        &lead,
        id,
        json!({"action": "instruct", "instruction": "请办理"}),
    )
    .await;
    assert_eq!(status, 422, "a department is needed");
    let (status, _) = step(
        &app,
        &lead,
        id,
        json!({"action": "instruct", "department_id": bureau, "instruction": "请办理"}),
    )
    .await;
    assert_eq!(status, 422, "an instruction goes to the street's own department");
    let (status, moved) = step(
        &app,
        &lead,
        id,
        json!({"action": "instruct", "department_id": street_office, "instruction": "请公共服务办公室三日内修补并回复。"}),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!(moved["status"], "at_department");
    assert_eq!(moved["department"], "洪桥街道公共服务办公室");
    assert_eq!(moved["due_on"], "2026-12-09", "seven working days");

    // Now the department sees it, with the contact (the resident did not ask for anonymity).
    let (status, seen) = call(&app, &dept, Method::GET, &format!("/api/v1/opinions/{id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(seen["contact_phone"], "13900005555");
    // ... but never the tracking code, with which it could rate its own handling before the resident.
    let shown = seen["tracking_code"].as_str().unwrap();
    assert!(shown.ends_with("-****-****") && shown != code, "{shown}");
    let (dept_page, _) = app.page_session("demo-dept").await;
    let html = get_text(&dept_page, &app.url(&format!("/admin/opinions/{id}"))).await;
    assert!(
        html.contains("洪桥街道公共服务办公室") && !html.contains(&code),
        "the case page hides the code"
    );
    let (status, _) = call(
        &app,
        &petition,
        Method::GET,
        &format!("/api/v1/opinions/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 403, "not routed to the petition department");
    let (status, _) = step(
        &app,
        &petition,
        id,
        json!({"action": "record_handling", "result": "x"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = step(
        &app,
        &dept,
        id,
        json!({"action": "record_handling", "result": ""}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, handled) = step(
        &app,
        &dept,
        id,
        json!({"action": "record_handling", "result": "已于 12 月 2 日修补地砖 30 块。"}),
    )
    .await;
    assert_eq!(status, 200, "{handled}");
    assert_eq!(handled["status"], "done");
    let (status, _) = step(
        &app,
        &dept,
        id,
        json!({"action": "record_handling", "result": "again"}),
    )
    .await;
    assert_eq!(status, 409, "no longer at the department");

    // The resident cannot rate before closing; then once.
    let rating = format!("/api/v1/public/track/{code}/rating");
    let rate = |body: Value| {
        let app = &app;
        let rating = rating.clone();
        async move {
            let response = new_client()
                .post(app.url(&rating))
                .json(&body)
                .send()
                .await
                .unwrap();
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    assert_eq!(rate(json!({"rating": "satisfied"})).await.0, 409);
    let (status, closed) = step(
        &app,
        &staff,
        id,
        json!({"action": "close", "summary": "已电话回访。"}),
    )
    .await;
    assert_eq!(status, 200, "{closed}");
    assert_eq!(closed["status"], "closed");
    let steps: Vec<&str> = closed["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["refer_to_street", "instruct", "record_handling", "close"]);
    let (_, public) = app.get_json(&format!("/api/v1/public/track/{code}")).await;
    assert_eq!(public["may_rate"], true);
    let whats: Vec<&str> = public["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["what"].as_str().unwrap())
        .collect();
    assert!(whats.contains(&"交洪桥街道公共服务办公室办理"), "{whats:?}");
    assert!(
        !public.to_string().contains("demo-"),
        "no staff names on the public page"
    );
    assert_eq!(
        rate(json!({"rating": "dissatisfied"})).await.0,
        422,
        "a reason is asked for"
    );
    assert_eq!(rate(json!({"rating": "great"})).await.0, 422);
    let (status, rated) = rate(json!({"rating": "satisfied", "comment": "修得很快"})).await;
    assert_eq!(status, 200, "{rated}");
    assert_eq!(rated["rating"], "satisfied");
    assert_eq!(
        rate(json!({"rating": "dissatisfied", "comment": "改主意"}))
            .await
            .0,
        409
    );
}

async fn petition_matters_are_fed_back_to_the_member(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let petition = app.token("demo-petition").await;
    let member = app.token("demo-member").await;
    let dept = app.token("demo-dept").await;
    let (_, me) = call(&app, &member, Method::GET, "/api/v1/members", None).await;
    let member_id = me[0]["id"].as_i64().unwrap();

    // Registered at a reception, received by the member, anonymous towards departments.
    let visit = json!({
        "room_id": HONGQIAO, "content": "物业多年不公开维修基金使用情况。", "contact_name": "周女士",
        "contact_phone": "13600006666", "member_id": member_id, "consent": true, "anonymous_to_departments": true,
    });
    let mut no_consent = visit.clone();
    no_consent["consent"] = json!(false);
    let (status, _) = call(&app, &staff, Method::POST, "/api/v1/opinions", Some(no_consent)).await;
    assert_eq!(status, 422);
    let (status, _) = call(
        &app,
        &member,
        Method::POST,
        "/api/v1/opinions",
        Some(visit.clone()),
    )
    .await;
    assert_eq!(status, 403, "members do not register visits");
    // Collected at the room's latest reception day; an activity of another room is refused.
    let (_, activities) = call(&app, &staff, Method::GET, "/api/v1/activities?year=2026", None).await;
    let reception = activities
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "reception_day")
        .unwrap()
        .clone();
    let city = app.token("demo-city").await;
    let (_, everything) = call(&app, &city, Method::GET, "/api/v1/activities?year=2026", None).await;
    let elsewhere = everything
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["room_id"] != HONGQIAO)
        .unwrap()["id"]
        .clone();
    let mut wrong_room = visit.clone();
    wrong_room["activity_id"] = elsewhere;
    let (status, _) = call(&app, &staff, Method::POST, "/api/v1/opinions", Some(wrong_room)).await;
    assert_eq!(status, 422);
    let mut visit = visit;
    visit["activity_id"] = reception["id"].clone();
    let (status, case) = call(&app, &staff, Method::POST, "/api/v1/opinions", Some(visit)).await;
    assert_eq!(status, 201, "{case}");
    let id = case["id"].as_i64().unwrap();
    assert_eq!(case["channel"], "visit");
    assert_eq!(case["activity_id"], reception["id"]);
    let (_, counted) = call(
        &app,
        &staff,
        Method::GET,
        &format!("/api/v1/activities/{}", reception["id"]),
        None,
    )
    .await;
    assert_eq!(
        counted["opinions_collected"].as_i64().unwrap(),
        reception["opinions_collected"].as_i64().unwrap() + 1
    );

    let (status, sent) = step(&app, &staff, id, json!({"action": "send_to_petition"})).await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["department"], "越秀区信访局");
    let (status, seen) = call(
        &app,
        &petition,
        Method::GET,
        &format!("/api/v1/opinions/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_ne!(seen["contact_name"], "周女士", "anonymous towards departments");
    assert!(seen["contact_phone"].is_null());
    let (status, _) = call(&app, &dept, Method::GET, &format!("/api/v1/opinions/{id}"), None).await;
    assert_eq!(status, 403);
    let (status, _) = step(&app, &member, id, json!({"action": "confirm_feedback"})).await;
    assert_eq!(status, 409, "nothing fed back yet");
    let (status, fed) = step(
        &app,
        &petition,
        id,
        json!({"action": "feedback_to_member", "text": "已约谈物业，下月公开账目。"}),
    )
    .await;
    assert_eq!(status, 200, "{fed}");
    assert_eq!(fed["status"], "feedback_given");

    // The member sees it waiting on their own page, and confirms it.
    let (client, _) = app.page_session("demo-member").await;
    let html = get_text(&client, &app.url("/me")).await;
    let code = case["tracking_code"].as_str().unwrap();
    let masked = format!("{}-****-****", &code[..4]);
    assert!(html.contains(&masked), "waiting for the member, the code masked");
    assert!(!html.contains(code), "the resident's full code is theirs alone");
    // The petition department's list withholds the anonymous resident too.
    let (_, list) = common::case_list(&app, &petition).await;
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(listed["contact_name"], "（来访人要求对部门匿名）");
    assert!(listed["contact_phone"].is_null() && listed["community"].is_null());
    assert_eq!(listed["tracking_code"], masked);
    let (status, confirmed) = step(&app, &member, id, json!({"action": "confirm_feedback"})).await;
    assert_eq!(status, 200, "{confirmed}");
    assert_eq!(confirmed["status"], "done");
    let (status, _) = step(
        &app,
        &staff,
        id,
        json!({"action": "close", "summary": "已告知来访人。"}),
    )
    .await;
    assert_eq!(status, 200);

    // Screening out (R11): the procedure and the body are required and shown to the resident.
    let (_, other) = submit(&app, &submission("13600007777")).await;
    let code = other["tracking_code"].as_str().unwrap().to_owned();
    let other_id = case_id(&app, &staff, &code).await;
    let (status, _) = step(
        &app,
        &staff,
        other_id,
        json!({"action": "screen_out", "procedure": "arbitration"}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = step(
        &app,
        &staff,
        other_id,
        json!({"action": "screen_out", "procedure": "appeal", "told_body": "x"}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, out) = step(
        &app,
        &staff,
        other_id,
        json!({"action": "screen_out", "procedure": "arbitration", "told_body": "广州市越秀区劳动人事争议仲裁委员会"}),
    )
    .await;
    assert_eq!(status, 200, "{out}");
    assert_eq!(out["status"], "closed");
    let (_, public) = app.get_json(&format!("/api/v1/public/track/{code}")).await;
    assert_eq!(public["told_procedure"], "仲裁");
    assert_eq!(public["told_body"], "广州市越秀区劳动人事争议仲裁委员会");
    let page = get_text(&new_client(), &app.url(&format!("/track/{code}"))).await;
    assert!(page.contains("广州市越秀区劳动人事争议仲裁委员会"));
}

async fn the_public_form_and_the_staff_page_work_without_javascript(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let resident = new_client();
    let room = get_text(&resident, &app.url(&format!("/rooms/{HONGQIAO}"))).await;
    assert!(room.contains("网上工作室：提出意见建议"));
    // Without consent: the form again, with what was typed.
    let response = resident
        .post(app.url(&format!("/rooms/{HONGQIAO}/opinions")))
        .form(&[
            ("content", "路口红绿灯时间太短"),
            ("contact_name", "老陈"),
            ("contact_phone", "13700008888"),
            ("community", ""),
            ("website", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("路口红绿灯时间太短") && html.contains("同意"));
    let response = resident
        .post(app.url(&format!("/rooms/{HONGQIAO}/opinions")))
        .form(&[
            ("content", "路口红绿灯时间太短"),
            ("contact_name", "老陈"),
            ("contact_phone", "13700008888"),
            ("community", ""),
            ("website", ""),
            ("consent", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    let start = html.find("class=\"tracking-code\"").unwrap();
    let code: String = html[start..]
        .split('>')
        .nth(1)
        .unwrap()
        .chars()
        .take(14)
        .collect();
    let tracked = get_text(&resident, &app.url(&format!("/track?code={code}"))).await;
    assert!(tracked.contains("已受理，正在分办"), "{tracked}");
    assert!(!tracked.contains("老陈") && !tracked.contains("13700008888"));
    let missing = resident
        .get(app.url("/track/2222-2222-2222"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    // Staff take it up on the case page.
    let staff = app.token("demo-staff").await;
    let id = case_id(&app, &staff, &code).await;
    let (client, _) = app.page_session("demo-staff").await;
    let page = get_text(&client, &app.url(&format!("/admin/opinions/{id}"))).await;
    assert!(page.contains("转街道（镇）负责人"));
    assert!(page.contains("2026-11-30 10:00"), "received at, in Beijing time");
    let csrf = hidden_value(&page, "csrf");
    let response = client
        .post(app.url(&format!("/admin/opinions/{id}/actions")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("action", "answer_on_spot"),
            ("answer", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let response = client
        .post(app.url(&format!("/admin/opinions/{id}/actions")))
        .form(&[("csrf", csrf.as_str()), ("action", "refer_to_street")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("已转街道（镇）研究办理"));
    // The list masks the resident.
    let list = get_text(&client, &app.url("/admin/opinions")).await;
    assert!(list.contains("老*") && !list.contains("13700008888"));
}

async fn late_steps_are_pressed_on_the_street_lead_then_the_district(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let overdue = |token: String| {
        let app = &app;
        async move {
            let (status, list) = call(app, &token, Method::GET, "/api/v1/opinions/overdue", None).await;
            assert_eq!(status, 200, "{list}");
            list.as_array().unwrap().clone()
        }
    };
    // The demo's history leaves some steps late on the day it is loaded: the street lead is pressed
    // with each, the district with those 3 working days late or more.
    let pressed_on = |late: u64| if late >= 3 { "district" } else { "street_lead" };
    let street = overdue(app.token("demo-street").await).await;
    assert!(street.iter().any(|c| c["late_working_days"] == 2), "{street:?}");
    for case in &street {
        let late = case["late_working_days"].as_u64().unwrap();
        assert!(late > 0);
        assert_eq!(case["escalation"], pressed_on(late), "{case}");
    }
    let district = overdue(app.token("demo-district").await).await;
    let ids = |list: &[Value]| {
        let mut ids: Vec<i64> = list.iter().map(|c| c["id"].as_i64().unwrap()).collect();
        ids.sort_unstable();
        ids
    };
    let escalated: Vec<Value> = street
        .iter()
        .filter(|c| c["escalation"] == "district")
        .cloned()
        .collect();
    assert!(!escalated.is_empty());
    assert_eq!(
        ids(&district),
        ids(&escalated),
        "the district sees only what is pressed on it"
    );

    // A case submitted today (Monday 30 November) is due on Tuesday; on Wednesday it is one working
    // day late, pressed on the street lead only.
    let (status, created) = submit(&app, &submission("13900007777")).await;
    assert_eq!(status, 201, "{created}");
    let staff = app.token("demo-staff").await;
    let fresh = case_id(&app, &staff, created["tracking_code"].as_str().unwrap()).await;
    let find = |list: &[Value]| list.iter().find(|c| c["id"] == fresh).cloned();
    assert!(find(&overdue(app.token("demo-street").await).await).is_none());
    app.clock.advance(chrono::Duration::days(2));
    let late = find(&overdue(app.token("demo-street").await).await).expect("late on Wednesday");
    assert_eq!(
        (late["late_working_days"].as_u64(), late["escalation"].as_str()),
        (Some(1), Some("street_lead"))
    );
    assert!(
        find(&overdue(app.token("demo-district").await).await).is_none(),
        "not yet the district's"
    );
    // Monday 7 December: four working days late, pressed on the district too.
    app.clock.advance(chrono::Duration::days(5));
    let district = overdue(app.token("demo-district").await).await;
    assert_eq!(
        find(&district).expect("the district's now")["escalation"],
        "district"
    );
    assert!(district.iter().all(|c| c["escalation"] == "district"));
    assert!(district.iter().all(|c| c["status"] != "closed"));
    // The other district is pressed only with its own rooms' cases.
    let other = overdue(app.token("demo-other-district").await).await;
    assert!(!other.is_empty(), "海珠区's visitor of 30 November, unanswered");
    assert!(
        other.iter().all(|c| c["room_name"] == "海珠区流动委员工作室"),
        "{other:?}"
    );
    let (client, _) = app.page_session("demo-district").await;
    let page = get_text(&client, &app.url("/admin/opinions")).await;
    assert!(page.contains("督办：超期未办"));

    // Satisfaction by room and route: the demo's street cases were rated once each way.
    let (_, rows) = call(
        &app,
        &app.token("demo-city").await,
        Method::GET,
        "/api/v1/opinions/satisfaction",
        None,
    )
    .await;
    let street_route = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["route"] == "street")
        .unwrap();
    assert_eq!(street_route["room_name"], "洪桥街政协委员工作室");
    assert_eq!(
        (
            street_route["satisfied"].as_i64(),
            street_route["dissatisfied"].as_i64()
        ),
        (Some(1), Some(1))
    );
    let screened = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["route"] == "screened_out")
        .unwrap();
    assert_eq!(screened["unrated"], 1);
}

async fn closed_cases_lose_the_residents_details_after_the_retention_period(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    // The job as the server runs it every hour, on the same database and clock.
    let store = store::Store::connect(&app.db.url()).await.unwrap();
    let job = app::App::new(store, app.clock.clone());
    assert_eq!(
        job.anonymise_expired_cases().await.unwrap(),
        0,
        "nothing is old yet"
    );
    // A submission leaves rate-limit records (per phone, per address) that live out their day.
    assert_eq!(submit(&app, &submission("13900009999")).await.0, 201);
    assert_eq!(job.forget_stale_throttles().await.unwrap(), 0, "still in use");
    app.clock.advance(chrono::Duration::days(731));
    assert!(job.forget_stale_throttles().await.unwrap() >= 2);
    assert_eq!(job.forget_stale_throttles().await.unwrap(), 0, "once");
    let changed = job.anonymise_expired_cases().await.unwrap();
    assert!(changed >= 2, "the demo's closed cases: {changed}");
    assert_eq!(job.anonymise_expired_cases().await.unwrap(), 0, "once");
    let city = app.token("demo-city").await;
    let (_, list) = common::case_list(&app, &city).await;
    for case in list.as_array().unwrap() {
        let (_, one) = call(
            &app,
            &city,
            Method::GET,
            &format!("/api/v1/opinions/{}", case["id"]),
            None,
        )
        .await;
        if case["status"] == "closed" {
            assert_eq!(one["contact_name"], "（已匿名）", "{one}");
            assert!(one["contact_phone"].is_null() && one["community"].is_null());
            assert!(
                !one["content"].as_str().unwrap().is_empty(),
                "the matter stays for the ledgers"
            );
        } else {
            assert_ne!(
                one["contact_name"], "（已匿名）",
                "open cases keep their residents: {one}"
            );
        }
    }
}

/// Takes a fresh online submission down the street route to closed; returns its id and tracking code.
async fn closed_street_case(app: &TestApp, phone: &str, street_office: i64) -> (i64, String) {
    let staff = app.token("demo-staff").await;
    let lead = app.token("demo-street").await;
    let dept = app.token("demo-dept").await;
    let (_, created) = submit(app, &submission(phone)).await;
    let code = created["tracking_code"].as_str().unwrap().to_owned();
    let id = case_id(app, &staff, &code).await;
    for (token, body) in [
        (&staff, json!({"action": "refer_to_street"})),
        (
            &lead,
            json!({"action": "instruct", "department_id": street_office, "instruction": "请修补。"}),
        ),
        (
            &dept,
            json!({"action": "record_handling", "result": "已修补地砖。"}),
        ),
        (&staff, json!({"action": "close", "summary": "已回访。"})),
    ] {
        let (status, moved) = step(app, token, id, body).await;
        assert_eq!(status, 200, "{moved}");
    }
    (id, code)
}

async fn rate_case(app: &TestApp, code: &str, body: Value) -> (u16, Value) {
    let response = new_client()
        .post(app.url(&format!("/api/v1/public/track/{code}/rating")))
        .json(&body)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json::<Value>().await.unwrap_or(Value::Null),
    )
}

async fn a_dissatisfied_resident_gets_a_review_by_the_street_lead(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let staff = app.token("demo-staff").await;
    let lead = app.token("demo-street").await;
    let dept = app.token("demo-dept").await;
    let other = app.token("demo-other-district").await;
    let (_, departments) = call(&app, &lead, Method::GET, "/api/v1/departments", None).await;
    let department = |name: &str| {
        departments
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == name)
            .unwrap_or_else(|| panic!("{name} not in {departments}"))["id"]
            .as_i64()
            .unwrap()
    };
    let street_office = department("洪桥街道公共服务办公室");
    let petition = department("越秀区信访局");

    // The demo's 不满意 case is already with the street lead.
    let (_, list) = common::case_list(&app, &lead).await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|c| c["status"] == "under_review" && c["rating"] == "dissatisfied"),
        "{list}"
    );

    let (id, code) = closed_street_case(&app, "13900007777", street_office).await;
    let (status, rated) = rate_case(
        &app,
        &code,
        json!({"rating": "dissatisfied", "comment": "地砖还是松的"}),
    )
    .await;
    assert_eq!(status, 200, "{rated}");
    assert_eq!(rated["status"], "under_review");
    assert_eq!(rated["may_rate"], false);
    let last = rated["steps"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["what"], "您评价不满意，已转镇（街）负责人复核");
    assert_eq!(last["detail"], "地砖还是松的");
    assert_eq!(
        rate_case(&app, &code, json!({"rating": "satisfied"})).await.0,
        409,
        "rated once"
    );

    // The review is the street lead's: one working day, reason shown, two ways out.
    let (_, view) = call(&app, &lead, Method::GET, &format!("/api/v1/opinions/{id}"), None).await;
    assert_eq!(view["next_actions"], json!(["review_reopen", "review_uphold"]));
    assert_eq!(view["rating_comment"], "地砖还是松的");
    assert_eq!(view["due_on"], "2026-12-01");
    for (token, expected) in [(&staff, 403), (&dept, 403), (&other, 403)] {
        let (status, err) = step(
            &app,
            token,
            id,
            json!({"action": "review_uphold", "text": "已处理"}),
        )
        .await;
        assert_eq!(status, expected, "{err}");
    }
    let (status, _) = step(&app, &staff, id, json!({"action": "rate_dissatisfied"})).await;
    assert_eq!(status, 403, "only residents rate");
    for bad in [
        json!({"action": "review_reopen", "instruction": "重办"}),
        json!({"action": "review_reopen", "department_id": petition, "instruction": "重办"}),
        json!({"action": "review_reopen", "department_id": street_office, "instruction": "  "}),
        json!({"action": "review_uphold", "text": ""}),
    ] {
        let (status, err) = step(&app, &lead, id, bad.clone()).await;
        assert_eq!(status, 422, "{bad} → {err}");
    }
    let (_, unchanged) = call(&app, &lead, Method::GET, &format!("/api/v1/opinions/{id}"), None).await;
    assert_eq!(unchanged["status"], "under_review", "refusals write nothing");

    // Reopened: the department handles it again, and the resident rates the new result.
    let (status, reopened) = step(
        &app,
        &lead,
        id,
        json!({"action": "review_reopen", "department_id": street_office, "instruction": "请重新核查并加固。"}),
    )
    .await;
    assert_eq!(status, 200, "{reopened}");
    assert_eq!(reopened["status"], "at_department");
    assert_eq!(
        reopened["rating"], "dissatisfied",
        "the 不满意 stands until the resident rates the new result"
    );
    assert_eq!(reopened["route"], "street");
    let (_, public) = app.get_json(&format!("/api/v1/public/track/{code}")).await;
    assert_eq!(public["status"], "at_department");
    assert!(
        public
            .to_string()
            .contains("复核后，交洪桥街道公共服务办公室重新办理")
    );
    let (status, _) = step(
        &app,
        &dept,
        id,
        json!({"action": "record_handling", "result": "已更换整块地砖。"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = step(
        &app,
        &staff,
        id,
        json!({"action": "close", "summary": "再次回访。"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, rated) = rate_case(&app, &code, json!({"rating": "satisfied"})).await;
    assert_eq!(status, 200, "{rated}");
    assert_eq!(
        (rated["status"].as_str(), rated["rating"].as_str()),
        (Some("closed"), Some("satisfied"))
    );
    let (_, history) = call(&app, &staff, Method::GET, &format!("/api/v1/opinions/{id}"), None).await;
    let actions: Vec<&str> = history["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "refer_to_street",
            "instruct",
            "record_handling",
            "close",
            "rate_dissatisfied",
            "review_reopen",
            "record_handling",
            "close"
        ]
    );

    // Upheld: closed again with the lead's reason on the resident's page; the rating stays.
    let (id, code) = closed_street_case(&app, "13900008888", street_office).await;
    let (status, _) = rate_case(
        &app,
        &code,
        json!({"rating": "dissatisfied", "comment": "希望全部重铺"}),
    )
    .await;
    assert_eq!(status, 200);
    let (client, _) = app.page_session("demo-street").await;
    let page = get_text(&client, &app.url(&format!("/admin/opinions/{id}"))).await;
    assert!(page.contains("复核后维持办结") && page.contains("希望全部重铺"));
    // The lead's list marks what waits on them: the demo's case at the lead and the two reviews.
    let list = get_text(&client, &app.url("/admin/opinions")).await;
    assert!(list.contains("3 件待您办理"), "{list}");
    let me = get_text(&client, &app.url("/me")).await;
    assert!(me.contains("有 3 件群众意见待您办理"), "{me}");
    let (status, upheld) = step(
        &app,
        &lead,
        id,
        json!({"action": "review_uphold", "text": "松动处已修补，整体重铺列入明年计划。"}),
    )
    .await;
    assert_eq!(status, 200, "{upheld}");
    assert_eq!(
        (upheld["status"].as_str(), upheld["rating"].as_str()),
        (Some("closed"), Some("dissatisfied"))
    );
    let (_, public) = app.get_json(&format!("/api/v1/public/track/{code}")).await;
    assert_eq!(public["may_rate"], false);
    assert!(public.to_string().contains("整体重铺列入明年计划"), "{public}");
    let (_, rows) = call(&app, &lead, Method::GET, "/api/v1/opinions/satisfaction", None).await;
    let street = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["route"] == "street")
        .unwrap();
    // The demo's two rated street cases, the reopened one (satisfied) and the upheld one.
    assert_eq!(
        (street["satisfied"].as_i64(), street["dissatisfied"].as_i64()),
        (Some(2), Some(2))
    );

    // A matter told to go to court is rated, not reviewed by the street.
    let (_, list) = common::case_list(&app, &staff).await;
    let screened = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["route"] == "screened_out")
        .unwrap()["tracking_code"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, rated) = rate_case(
        &app,
        &screened,
        json!({"rating": "dissatisfied", "comment": "不想去法院"}),
    )
    .await;
    assert_eq!(status, 200, "{rated}");
    assert_eq!(
        (rated["status"].as_str(), rated["rating"].as_str()),
        (Some("closed"), Some("dissatisfied"))
    );

    // Ratings are taken for 30 days after closing.
    let (_, code) = closed_street_case(&app, "13900006666", street_office).await;
    app.clock.advance(chrono::Duration::days(31));
    let (_, public) = app.get_json(&format!("/api/v1/public/track/{code}")).await;
    assert_eq!(public["may_rate"], false);
    let (status, late) = rate_case(&app, &code, json!({"rating": "satisfied"})).await;
    assert_eq!(status, 409, "{late}");
    assert!(late.to_string().contains("30 天"), "{late}");
}

async fn track_guess(app: &TestApp, forwarded_for: &str) -> u16 {
    new_client()
        .get(app.url("/api/v1/public/track/AAAA-AAAA-AAAA"))
        .header("x-forwarded-for", forwarded_for)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn submission_request(app: &TestApp, phone: &str) -> reqwest::RequestBuilder {
    new_client()
        .post(app.url(&format!("/api/v1/public/rooms/{HONGQIAO}/opinions")))
        .json(&submission(phone))
}

async fn limits_hold_under_parallel_requests(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    // One phone, twelve submissions at once: exactly the five a day get through.
    let statuses =
        statuses_in_parallel((0..12).map(|_| submission_request(&app, "13900007777")).collect()).await;
    assert_eq!(
        (count_of(&statuses, 201), count_of(&statuses, 429)),
        (5, 7),
        "{statuses:?}"
    );
    // One address, 40 phones at once: exactly 30 an hour in all, the five above among them.
    let statuses = statuses_in_parallel(
        (0..40)
            .map(|n| submission_request(&app, &format!("1370000{n:04}")))
            .collect(),
    )
    .await;
    assert_eq!(
        (count_of(&statuses, 201), count_of(&statuses, 429)),
        (25, 15),
        "{statuses:?}"
    );
    // 40 guessed codes at once: exactly 20 are looked up.
    let statuses = statuses_in_parallel(
        (0..40)
            .map(|_| new_client().get(app.url("/api/v1/public/track/AAAA-AAAA-AAAA")))
            .collect(),
    )
    .await;
    assert_eq!(
        (count_of(&statuses, 404), count_of(&statuses, 429)),
        (20, 20),
        "{statuses:?}"
    );
}

async fn behind_a_trusted_proxy_limits_count_each_resident(db: TestDatabase) {
    // The test client connects from 127.0.0.1, here the trusted reverse proxy.
    let app = TestApp::spawn_behind(db, true, vec!["127.0.0.1".parse().unwrap()]).await;
    for _ in 0..20 {
        assert_eq!(track_guess(&app, "203.0.113.1").await, 404);
    }
    assert_eq!(
        track_guess(&app, "203.0.113.1").await,
        429,
        "the guesser is stopped"
    );
    assert_eq!(
        track_guess(&app, "198.51.100.4, 203.0.113.2").await,
        404,
        "a neighbour behind the same proxy is not"
    );
    // The proxy appends what it saw: a first entry the client wrote does not help.
    assert_eq!(track_guess(&app, "203.0.113.99, 203.0.113.1").await, 429);
}

async fn without_a_trusted_proxy_the_forwarded_header_is_ignored(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    for n in 0..20 {
        assert_eq!(track_guess(&app, &format!("203.0.113.{n}")).await, 404);
    }
    assert_eq!(track_guess(&app, "203.0.113.200").await, 429);
}

/// The demo's opinions were taken in and routed through the use cases, each on its own day: their
/// histories spread over the year, each step by the account whose work it is, in order.
async fn the_demo_history_is_spread_over_the_year(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let city = app.token("demo-city").await;
    let (status, list) = common::case_list(&app, &city).await;
    assert_eq!(status, 200, "{list}");
    let cases = list.as_array().unwrap();
    let received: std::collections::BTreeSet<String> = cases
        .iter()
        .map(|c| c["received_at"].as_str().unwrap()[..10].to_owned())
        .collect();
    assert!(received.len() >= 8, "on many days: {received:?}");
    assert!(
        received.first().unwrap().as_str() < "2026-06-01"
            && received.last().unwrap().as_str() >= "2026-11-27",
        "from spring to the last days: {received:?}"
    );
    // A visit registered at a reception day is dated that day.
    let (_, activities) = call(&app, &city, Method::GET, "/api/v1/activities?year=2026", None).await;
    let held_on = |id: i64| {
        activities
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .map(|a| a["date"].as_str().unwrap().to_owned())
    };
    let at_receptions: Vec<&Value> = cases.iter().filter(|c| c["activity_id"].is_i64()).collect();
    assert!(at_receptions.len() >= 5);
    for case in at_receptions {
        let day = held_on(case["activity_id"].as_i64().unwrap()).expect("the reception day");
        assert_eq!(case["received_at"].as_str().unwrap()[..10], day, "{case}");
    }
    // Each step after the one before, by the role whose step it is; none by the system.
    let mut roles = std::collections::BTreeSet::new();
    for case in cases.iter().filter(|c| c["room_name"] == "洪桥街政协委员工作室") {
        let (_, full) = call(
            &app,
            &city,
            Method::GET,
            &format!("/api/v1/opinions/{}", case["id"]),
            None,
        )
        .await;
        let steps = full["steps"].as_array().unwrap();
        let mut last = full["received_at"].as_str().unwrap().to_owned();
        for step in steps {
            let at = step["taken_at"].as_str().unwrap().to_owned();
            assert!(at >= last, "{full}");
            last = at;
            // Taken by an account (not loaded beside the use cases), shown by name and role.
            let by = step["by"].as_str().unwrap();
            assert!(!by.contains("demo-"), "{step}");
            assert!(by.contains(" · ") || step["role"] == "resident", "{step}");
            roles.insert(step["role"].as_str().unwrap().to_owned());
        }
    }
    for role in [
        "room_staff",
        "street_lead",
        "functional_department",
        "petition_department",
        "member",
    ] {
        assert!(roles.contains(role), "{role} in {roles:?}");
    }
}

on_both_databases!(
    the_demo_history_is_spread_over_the_year,
    closed_cases_lose_the_residents_details_after_the_retention_period,
    late_steps_are_pressed_on_the_street_lead_then_the_district,
    residents_submit_online_and_follow_their_case,
    a_case_runs_the_street_route_to_the_residents_rating,
    a_dissatisfied_resident_gets_a_review_by_the_street_lead,
    behind_a_trusted_proxy_limits_count_each_resident,
    limits_hold_under_parallel_requests,
    without_a_trusted_proxy_the_forwarded_header_is_ignored,
    petition_matters_are_fed_back_to_the_member,
    the_public_form_and_the_staff_page_work_without_javascript
);

/// Residents' names and phones never reach the server's log, even at the debug level (X7): a canary
/// name and number go through submission, tracking, staff lists, the full view and a routing step.
#[test]
fn no_personal_data_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_workroom"))
        .current_dir(dir.path())
        .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
        .env_remove("WORKROOM_DATABASE_URL")
        .env_remove("WORKROOM_ADDR")
        .env("WORKROOM_LOG", "debug")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let client = new_client();
        let mut up = false;
        for _ in 0..100 {
            if client.get(format!("{base}/healthz")).send().await.is_ok_and(|r| r.status() == 200) {
                up = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(up, "the server starts");
        let created: Value = client
            .post(format!("{base}/api/v1/public/rooms/1/opinions"))
            .json(&json!({
                "content": "金丝雀测试意见", "contact_name": "司徒金丝雀", "contact_phone": "13987654321",
                "community": "金丝雀社区", "consent": true,
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let code = created["tracking_code"].as_str().unwrap().to_owned();
        client.get(format!("{base}/track/{code}")).send().await.unwrap();
        let token: Value = client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": "demo-staff", "password": "workroom-demo"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = token["token"].as_str().unwrap().to_owned();
        let list: Value = client
            .get(format!("{base}/api/v1/opinions"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["tracking_code"] == code)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let one: Value = client
            .get(format!("{base}/api/v1/opinions/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(one["contact_name"], "司徒金丝雀", "the full view did happen");
        client
            .post(format!("{base}/api/v1/opinions/{id}/actions"))
            .bearer_auth(&token)
            .json(&json!({"action": "refer_to_street"}))
            .send()
            .await
            .unwrap();
        // A bad submission with the canary in it too.
        client
            .post(format!("{base}/api/v1/public/rooms/1/opinions"))
            .json(&json!({"content": "", "contact_name": "司徒金丝雀", "contact_phone": "13987654321", "consent": true}))
            .send()
            .await
            .unwrap();
    });
    let _ = server.kill();
    let _ = server.wait();
    let written = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    assert!(
        written.contains("/api/v1/public/rooms/{id}/opinions"),
        "the requests themselves are in the log (by route pattern): {written}"
    );
    for canary in ["司徒金丝雀", "13987654321", "987654321", "金丝雀社区"] {
        assert!(!written.contains(canary), "{canary} is in the log:\n{written}");
    }
}
