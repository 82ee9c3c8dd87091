//! Importing a member roster (X1) on both databases: through the command line, the API and the
//! upload page; every bad row reported with its column; nothing half-imported; re-imports idempotent.

mod common;

use common::{TestApp, one_line_failure, stdout, workroom};
use reqwest::Method;
use serde_json::Value;
use store::on_both_databases;
use store::test_support::TestDatabase;

const HEADERS: [&str; 9] = [
    "姓名",
    "委员层级",
    "所属区",
    "界别",
    "住港澳",
    "工作单位",
    "职务",
    "手机号码",
    "工作室",
];

fn roster(rows: &[[&str; 9]]) -> Vec<u8> {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| (*c).to_owned()).collect())
        .collect();
    documents::xlsx::write_sheet("委员名册", &HEADERS, &rows).unwrap()
}

fn good_roster() -> Vec<u8> {
    roster(&[
        [
            "林晓华",
            "区",
            "越秀区",
            "民革",
            "否",
            "越秀区人民医院",
            "副院长",
            "13800138001",
            "洪桥街政协委员工作室",
        ],
        [
            "何国强",
            "市",
            "越秀",
            "经济界",
            "",
            "广州某贸易公司",
            "总经理",
            "13800138002",
            "",
        ],
        [
            "梁美玲",
            "省",
            "越秀区",
            "港澳界",
            "是",
            "香港某律师行",
            "合伙人",
            "",
            "",
        ],
        [
            "<script>alert(1)</script>",
            "区",
            "越秀区",
            "",
            "",
            "=HYPERLINK(\"http://x\")",
            "",
            "13800138004",
            "",
        ],
    ])
}

async fn the_cli_imports_a_roster_once_and_reimports_change_nothing(db: TestDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let url = db.url_string();
    assert!(
        workroom(dir.path(), &["demo", "--database", &url])
            .status
            .success()
    );
    let file = dir.path().join("roster.xlsx");
    std::fs::write(&file, good_roster()).unwrap();
    let path = file.to_str().unwrap();

    let dry = workroom(
        dir.path(),
        &["import", "members", path, "--dry-run", "--database", &url],
    );
    assert!(dry.status.success(), "{}", common::stderr(&dry));
    assert!(
        stdout(&dry).contains("试导入（未保存）：共 4 行，新增 4"),
        "{}",
        stdout(&dry)
    );
    let first = workroom(dir.path(), &["import", "members", path, "--database", &url]);
    assert!(first.status.success(), "{}", common::stderr(&first));
    assert!(
        stdout(&first).contains("已导入：共 4 行，新增 4，更新 0，未变 0，新分配工作室 1"),
        "{}",
        stdout(&first)
    );
    let again = workroom(dir.path(), &["import", "members", path, "--database", &url]);
    assert!(
        stdout(&again).contains("新增 0，更新 0，未变 4，新分配工作室 0"),
        "{}",
        stdout(&again)
    );

    // A changed employer updates the member it belongs to, matched by name, level, district and phone.
    std::fs::write(
        &file,
        roster(&[[
            "林晓华",
            "区",
            "越秀区",
            "民革",
            "否",
            "越秀区卫生健康局",
            "副局长",
            "13800138001",
            "",
        ]]),
    )
    .unwrap();
    let changed = workroom(dir.path(), &["import", "members", path, "--database", &url]);
    assert!(
        stdout(&changed).contains("新增 0，更新 1"),
        "{}",
        stdout(&changed)
    );
}

async fn a_roster_with_bad_rows_imports_nothing_and_names_each_problem(db: TestDatabase) {
    let dir = tempfile::tempdir().unwrap();
    let url = db.url_string();
    assert!(
        workroom(dir.path(), &["demo", "--database", &url])
            .status
            .success()
    );
    let file = dir.path().join("bad.xlsx");
    std::fs::write(
        &file,
        roster(&[
            ["林晓华", "区", "越秀区", "", "", "", "", "13800138001", ""],
            ["", "区", "越秀区", "", "", "", "", "", ""],
            ["王五", "县", "越秀区", "", "", "", "", "", ""],
            ["赵六", "区", "朝阳区", "", "", "", "", "", ""],
            ["钱七", "市", "", "", "", "", "", "12345", ""],
            ["孙八", "市", "", "", "", "", "", "", "不存在的工作室"],
            ["林晓华", "区", "越秀区", "", "", "", "", "13800138001", ""],
        ]),
    )
    .unwrap();
    let output = workroom(
        dir.path(),
        &["import", "members", file.to_str().unwrap(), "--database", &url],
    );
    let line = one_line_failure(&output);
    assert!(line.contains("6 处问题") && line.contains("未导入"), "{line}");
    let report = stdout(&output);
    for expected in [
        "第 3 行 · 姓名：",
        "第 4 行 · 委员层级：未知的委员层级“县”",
        "第 5 行 · 所属区：广州市没有“朝阳区”这个区",
        "第 6 行 · 手机号码：",
        "第 7 行 · 工作室：没有名为“不存在的工作室”的工作室",
        "第 8 行 · 姓名：与第 2 行重复",
    ] {
        assert!(report.contains(expected), "missing «{expected}» in:\n{report}");
    }
    // Nothing was stored: the good first row is still new afterwards.
    std::fs::write(
        &file,
        roster(&[["林晓华", "区", "越秀区", "", "", "", "", "13800138001", ""]]),
    )
    .unwrap();
    let output = workroom(
        dir.path(),
        &["import", "members", file.to_str().unwrap(), "--database", &url],
    );
    assert!(stdout(&output).contains("新增 1"), "{}", stdout(&output));

    std::fs::write(&file, b"not a workbook").unwrap();
    let line = one_line_failure(&workroom(
        dir.path(),
        &["import", "members", file.to_str().unwrap(), "--database", &url],
    ));
    assert!(line.contains("不是有效的 Excel"), "{line}");
}

async fn the_api_and_the_upload_page_import_within_scope(db: TestDatabase) {
    let app = TestApp::spawn_demo(db).await;
    let district = app.token("demo-district").await;
    let import = |token: String, body: Vec<u8>, query: &'static str| {
        app.with_token(Method::POST, &format!("/api/v1/members/import{query}"), &token)
            .header(
                "content-type",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .body(body)
            .send()
    };
    let response = import(district.clone(), good_roster(), "?dry_run=true")
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["created"], 4);
    assert_eq!(report["dry_run"], true);

    let other = app.token("demo-other-district").await;
    let response = import(other, good_roster(), "").await.unwrap();
    assert_eq!(
        response.status(),
        422,
        "another district's members are out of scope"
    );
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["problems"].as_array().unwrap().len(), 4);
    assert!(
        report["problems"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("管辖范围")
    );

    let member = app.token("demo-member").await;
    assert_eq!(import(member, good_roster(), "").await.unwrap().status(), 403);
    let garbage = import(district.clone(), b"garbage".to_vec(), "").await.unwrap();
    assert_eq!(garbage.status(), 422);
    let body: Value = garbage.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_input");

    let (client, csrf) = app.page_session("demo-district").await;
    let template = client
        .get(app.url("/admin/members/template.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(template.status(), 200);
    let sheet = documents::xlsx::read_first_sheet(&template.bytes().await.unwrap()).unwrap();
    assert_eq!(
        sheet.headers[..9],
        HEADERS,
        "the template carries the contract's headers"
    );
    assert_eq!(sheet.headers[9], "届别", "and the optional term");
    assert_eq!(sheet.rows.len(), 1, "and one example row");

    let upload = |csrf: String| {
        let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
            "file",
            reqwest::multipart::Part::bytes(good_roster()).file_name("名册.xlsx"),
        );
        client
            .post(app.url("/admin/members/import"))
            .multipart(form)
            .send()
    };
    assert_eq!(upload("forged".into()).await.unwrap().status(), 403);
    let page = upload(csrf).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("已导入：共 4 行，新增 4"), "{html}");
    assert!(!html.contains("<script>alert(1)</script>"));
}

on_both_databases!(
    the_cli_imports_a_roster_once_and_reimports_change_nothing,
    a_roster_with_bad_rows_imports_nothing_and_names_each_problem,
    the_api_and_the_upload_page_import_within_scope,
);
