//! Black-box tests of the HTTP surface on both databases: health, metrics, OpenAPI, the division API
//! and pages, preferences, and the error paths.

mod common;

use common::TestApp;
use store::on_both_databases;
use store::test_support::TestDatabase;

async fn healthz_answers_ok_when_the_database_is_reachable(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().contains_key("x-request-id"),
        "every answer carries its request id"
    );
}

async fn metrics_count_requests_by_route_and_show_the_pool(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/divisions?parent=440104").await.status(), 200);
    }
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    let text = response.text().await.unwrap();
    let line = text
        .lines()
        .find(|l| {
            l.starts_with("http_requests_total")
                && l.contains("route=\"/api/v1/divisions\"")
                && l.contains("status=\"200\"")
        })
        .unwrap_or_else(|| panic!("no request counter for the route in:\n{text}"));
    let count: f64 = line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(count >= 3.0, "{line}");
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "latency histogram"
    );
    assert!(text.contains("db_pool_connections{"), "pool state");
    assert!(
        !text.contains("440104"),
        "routes are labelled by pattern, never by the actual path"
    );
}

async fn openapi_documents_every_api_route(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    let (status, doc) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/api/v1/divisions",
        "/api/v1/divisions/search",
        "/api/v1/divisions/{code}",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
}

async fn divisions_api_lists_districts_streets_and_communities(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    let (status, districts) = app.get_json("/api/v1/divisions").await;
    assert_eq!(status, 200);
    let districts = districts.as_array().unwrap();
    assert_eq!(districts.len(), 11);
    let yuexiu = districts.iter().find(|d| d["name"] == "越秀区").unwrap();
    assert_eq!(yuexiu["code"], "440104");
    assert_eq!(yuexiu["level"], "district");

    let (status, streets) = app.get_json("/api/v1/divisions?parent=440104").await;
    assert_eq!(status, 200);
    let streets = streets.as_array().unwrap();
    assert_eq!(streets.len(), 18);
    assert!(
        streets
            .iter()
            .all(|s| s["level"] == "street" && s["parent_code"] == "440104")
    );
    assert_eq!(streets[0]["name"], "洪桥街道");

    let (status, communities) = app.get_json("/api/v1/divisions?parent=440104001").await;
    assert_eq!(status, 200);
    assert!(
        communities
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["level"] == "community")
    );

    let (status, detail) = app.get_json("/api/v1/divisions/440104001").await;
    assert_eq!(status, 200);
    assert_eq!(detail["name"], "洪桥街道");
    assert_eq!(detail["ancestors"][1]["name"], "越秀区");
    assert_eq!(detail["names"][0]["valid_from"], "2023-06-30");

    let (status, hits) = app
        .get_json("/api/v1/divisions/search?q=%E9%92%9F%E8%90%BD%E6%BD%AD")
        .await; // 钟落潭
    assert_eq!(status, 200);
    assert_eq!(hits[0]["name"], "钟落潭镇");
    assert_eq!(hits[0]["kind"], "town");
    assert_eq!(hits[0]["path"][0]["name"], "白云区");
}

async fn bad_division_requests_get_clear_json_errors(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    let (status, body) = app.get_json("/api/v1/divisions?parent=abc").await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["code"], "invalid_input");
    assert!(body["error"]["message"].as_str().unwrap().contains("数字"));

    let (status, body) = app.get_json("/api/v1/divisions?parent=440104999").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");

    let (status, body) = app.get_json("/api/v1/divisions/110101").await;
    assert_eq!(status, 422);
    assert!(body["error"]["message"].as_str().unwrap().contains("广州"));

    let (status, body) = app.get_json("/api/v1/divisions/search").await;
    assert_eq!(status, 400, "q is required");
    assert_eq!(body["error"]["code"], "invalid_query");

    let long = "长".repeat(41);
    let (status, _) = app.get_json(&format!("/api/v1/divisions/search?q={long}")).await;
    assert_eq!(status, 422);

    let (status, body) = app.get_json("/api/v1/no-such-thing").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
}

async fn oversized_bodies_are_refused_with_413(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    let big = "x".repeat(2 * 1024 * 1024);
    let response = app
        .client
        .post(app.url("/preferences/text-size"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("size=large&back=/&pad={big}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

async fn public_pages_render_in_chinese_without_javascript(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    for path in [
        "/",
        "/divisions",
        "/divisions?q=%E6%B4%AA%E6%A1%A5",
        "/divisions/440104",
        "/divisions/440104001",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let html = response.text().await.unwrap();
        assert!(html.contains("<html lang=\"zh-CN\""), "{path}");
        assert!(html.contains("href=\"#main\""), "{path} has a skip link");
        assert!(html.contains("<main id=\"main\""), "{path} has a main landmark");
        assert!(!html.contains("<script"), "{path} needs no JavaScript");
    }
    let portal = app.get("/").await.text().await.unwrap();
    assert!(portal.contains("越秀区") && portal.contains("从化区"));
    let street = app.get("/divisions/440104001").await.text().await.unwrap();
    assert!(street.contains("洪桥街道") && street.contains("名称沿革"));
    let search = app
        .get("/divisions?q=%E6%B4%AA%E6%A1%A5")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        search.contains("/divisions/440104001\""),
        "the search finds 洪桥街道"
    );
}

async fn hostile_search_text_is_shown_as_text(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    let html = app
        .get("/divisions?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert(1)</script>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("&#60;script&#62;"));
}

async fn unknown_pages_get_a_friendly_404_page(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    let response = app.get("/no/such/page").await;
    assert_eq!(response.status(), 404);
    let html = response.text().await.unwrap();
    assert!(html.contains("找不到这个页面") && html.contains("返回首页"));
    let response = app.get("/divisions/440104999").await;
    assert_eq!(response.status(), 404);
    let response = app.get("/divisions/not-a-code").await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("填写的内容有误"));
}

async fn large_text_mode_persists_across_pages(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    assert!(
        !app.get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("class=\"large-text\"")
    );
    let response = app
        .client
        .post(app.url("/preferences/text-size"))
        .form(&[("size", "large"), ("back", "/divisions/440104")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/divisions/440104");
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Max-Age"));
    for path in ["/", "/divisions/440104001"] {
        let html = app.get(path).await.text().await.unwrap();
        assert!(html.contains("class=\"large-text\""), "{path} is in large text");
        assert!(html.contains("标准字号"), "{path} offers the way back");
    }
    // The form cannot send people to another site.
    let response = app
        .client
        .post(app.url("/preferences/text-size"))
        .form(&[("size", "normal"), ("back", "//evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/");
}

async fn division_lists_download_as_csv(db: TestDatabase) {
    let app = TestApp::spawn(db).await;
    let response = app.get("/divisions/440104/children.csv").await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let bytes = response.bytes().await.unwrap();
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert_eq!(text.lines().count(), 1 + 18);
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .starts_with("440104001,洪桥街道,街道,")
    );
}

/// Every download names its file through `web::download`: the Chinese name percent-encoded in
/// `filename*` (RFC 5987), which browsers prefer, and an ASCII name for clients that do not read it.
async fn downloads_keep_their_chinese_file_names(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let disposition = |response: &reqwest::Response| {
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let csv = app.get("/divisions/440104/children.csv").await;
    assert_eq!(csv.status(), 200);
    assert_eq!(
        disposition(&csv),
        "attachment; filename=\"440104.csv\"; filename*=UTF-8''440104-%E8%B6%8A%E7%A7%80%E5%8C%BA.csv"
    );
    let (district, _) = app.page_session("demo-district").await;
    let template = district
        .get(app.url("/admin/members/template.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(template.status(), 200);
    assert_eq!(
        template.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        disposition(&template),
        "attachment; filename=\"roster-template.xlsx\"; \
         filename*=UTF-8''%E5%A7%94%E5%91%98%E5%90%8D%E5%86%8C%E6%A8%A1%E6%9D%BF.xlsx"
    );
    // An API download with a plain name carries it in both forms.
    let city = app.token("demo-city").await;
    let sheet = app
        .with_token(reqwest::Method::GET, "/api/v1/score-sheet?year=2026", &city)
        .send()
        .await
        .unwrap();
    assert_eq!(sheet.status(), 200);
    assert_eq!(
        disposition(&sheet),
        "attachment; filename=\"score-sheet-2026.xlsx\"; filename*=UTF-8''score-sheet-2026.xlsx"
    );
}

async fn malformed_page_requests_get_friendly_chinese_pages(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let (city, _) = app.page_session("demo-city").await;
    let not_a_number = city.get(app.url("/admin/accounts/abc")).send().await.unwrap();
    assert_eq!(not_a_number.status(), 404);
    assert!(not_a_number.text().await.unwrap().contains("页面不存在"));
    let not_a_form = app
        .client
        .post(app.url("/preferences/text-size"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(not_a_form.status(), 415);
    let html = not_a_form.text().await.unwrap();
    assert!(html.contains("<html lang=\"zh-CN\"") && html.contains("提交方式不正确"));
}

on_both_databases!(
    malformed_page_requests_get_friendly_chinese_pages,
    healthz_answers_ok_when_the_database_is_reachable,
    metrics_count_requests_by_route_and_show_the_pool,
    openapi_documents_every_api_route,
    divisions_api_lists_districts_streets_and_communities,
    bad_division_requests_get_clear_json_errors,
    oversized_bodies_are_refused_with_413,
    public_pages_render_in_chinese_without_javascript,
    hostile_search_text_is_shown_as_text,
    unknown_pages_get_a_friendly_404_page,
    large_text_mode_persists_across_pages,
    division_lists_download_as_csv,
    downloads_keep_their_chinese_file_names,
);
