//! The JSON API under /api/v1, documented with utoipa; every route added here appears in
//! /api/openapi.json.

mod accounts;
mod activities;
mod annual;
mod audit;
mod auth;
mod calendar;
mod dashboard;
mod divisions;
mod funding;
mod insights;
mod inspections;
mod ledgers;
mod members;
mod notifications;
mod opinions;
pub(crate) mod patterns;
mod proposals;
mod public;
pub(crate) mod room_rules;
mod sessions;
mod staffing;
mod support;
mod units;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub(crate) use ledgers::parse_kind as parse_ledger_kind;

/// A member's published photo URL (for pages too).
pub(crate) fn public_photo_url(member_id: i64, etag: &str) -> String {
    public::photo_url(member_id, etag)
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Workroom API",
        description = "广州市政协委员进社区工作平台的 JSON 接口。错误一律以 {\"error\": {\"code\", \"message\"}} 返回。",
        version = "1"
    ),
    paths(annual::summary_docx),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    tags(
        (name = "divisions", description = "行政区划：区、镇（街）、社区（村）"),
        (name = "auth", description = "登录、退出、当前账号"),
        (name = "accounts", description = "账号管理（市政协办公厅、区政协，限本范围）"),
        (name = "audit", description = "审计日志（仅市政协办公厅）"),
        (name = "organisation", description = "部门与工作室（按调用者范围）"),
        (name = "members", description = "委员与名册导入"),
        (name = "public", description = "公开信息（无需登录）：工作室与委员"),
        (name = "calendar", description = "接待日历（R9、R17）：接待日、国务院节假日安排、规则版本、各区接待日与重要活动日"),
        (name = "sessions", description = "接待日安排与公告（R9）：按日历排定、调整（留存原因）、标记张贴"),
        (name = "activities", description = "履职活动（R10）、每年最低次数（R5）与积分（R14）：登记、确认、积分表"),
        (name = "opinions", description = "群众意见（R11、R13）：网上提交与查询、来访登记、分办流转、满意度评价"),
        (name = "staffing", description = "人员配备（R7）：召集人、镇（街）负责人、工作室工作人员"),
        (name = "annual-summaries", description = "年度工作总结（R14）：区政协撰写报送，市政协办公厅接收或退回；数据由系统汇总"),
        (name = "dashboard", description = "工作概览（X4）：按调用者范围汇总的委员履职、接待、活动、群众意见、满意度与年度总结情况"),
        (name = "rules", description = "工作室制度（R14）：各工作室的制度及其历次版本，区政协发布制度模板供工作室采用"),
        (name = "ledgers", description = "工作室台账（R14）：工作台账、活动台账、群众来访登记、委员进社区履职登记，JSON 或 .xlsx"),
        (name = "funding", description = "工作经费（R16）：工作室经费列入镇（街）年度预算，登记预算与按类别、日期的支出；不对公众公开"),
        (name = "proposals", description = "提案与社情民意信息（R13.4）：委员据群众意见撰写（单件或集中反映的一组），提交政协、立案或采用、承办单位答复，查询页告知群众"),
        (name = "support", description = "委员履职支持（R12）：委员向区政协提出指导、咨询或人员参与的请求，区政协答复，委员确认或追问"),
        (name = "inspections", description = "检查督导与整改（R15）：市、区政协工作部门检查工作室，检查清单由台账预填，发现的问题形成整改任务，责任方报告、检查部门验收或退回"),
        (name = "notifications", description = "提醒（X5）：案件到达、即将到期与超期、接待公告待张贴、履职次数不足、年度总结待报送"),
    ),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Declares the bearer token (from `POST /api/v1/auth/login`) and the session cookie as the ways to
/// authenticate.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("wr_session"))),
        );
    }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(divisions::router())
        .merge(auth::router())
        .merge(accounts::router())
        .merge(audit::router())
        .merge(units::router())
        .merge(public::router())
        .merge(staffing::router())
        .merge(calendar::router())
        .merge(sessions::router())
        .merge(opinions::router())
        .merge(notifications::router())
        .merge(insights::router())
        .merge(inspections::router())
        .merge(funding::router())
        .merge(proposals::router())
        .merge(support::router())
        .merge(annual::router())
        .merge(ledgers::router())
        .merge(room_rules::router())
        .merge(dashboard::router())
        .merge(activities::router())
        .merge(members::router())
}

/// Paths anyone may call: they never answer 401 or 403 for a missing sign-in.
fn public_path(path: &str) -> bool {
    path.starts_with("/api/v1/public/")
        || path.starts_with("/api/v1/divisions")
        || path == "/api/v1/auth/login"
}

/// Documents on every operation the error answers the server gives for any route (all in the
/// `ErrorBody` shape, written once in `web::error`): 400 for a malformed path or query, 404 for a
/// record the path or the body refers to that does not exist, 401 and 403
/// for a missing sign-in or scope, 413 and 415 for a body too large or not JSON, 422 for input that
/// breaks a rule, 503 when the server is busy. A schema-driven client then meets no status the
/// document does not name.
pub(crate) fn document_common_errors(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in &mut openapi.paths.paths {
        let public = public_path(path);
        let operations = [
            item.get.as_mut(),
            item.put.as_mut(),
            item.post.as_mut(),
            item.delete.as_mut(),
            item.patch.as_mut(),
        ];
        for operation in operations.into_iter().flatten() {
            let mut codes = vec![
                ("400", "请求格式错误（路径或查询参数无法解析）"),
                ("404", "路径或请求中引用的记录不存在"),
                ("422", "输入不符合规则，`field` 指出哪一项"),
                ("503", "系统繁忙或数据库暂不可用，稍后再试"),
            ];
            if !public {
                codes.push(("401", "未登录或登录已失效"));
                codes.push(("403", "无权进行此操作"));
            }
            if operation.request_body.is_some() {
                codes.push(("413", "请求内容过大"));
                codes.push(("415", "请求内容类型不是 JSON"));
            }
            for (code, description) in codes {
                operation
                    .responses
                    .responses
                    .entry(code.to_owned())
                    .or_insert_with(|| error(description));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// utoipa keys components by type name and keeps the last of two same-named types without a word
    /// (two `SatisfactionJson`s once gave the dashboard the opinions' schema): every schema type of
    /// the API has its own name.
    #[test]
    fn schema_types_have_distinct_names() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/api");
        let mut seen = std::collections::BTreeMap::<String, String>::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let source = std::fs::read_to_string(&path).unwrap();
            let mut derives_schema = false;
            for line in source.lines().map(str::trim) {
                if line.starts_with("#[derive(") {
                    derives_schema = line.contains("ToSchema");
                } else if derives_schema
                    && let Some(rest) = line
                        .strip_prefix("pub struct ")
                        .or(line.strip_prefix("pub enum "))
                {
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    let file = path.file_name().unwrap().to_string_lossy().into_owned();
                    if let Some(other) = seen.insert(name.clone(), file.clone()) {
                        panic!("{name} is a schema in both {other} and {file}");
                    }
                    derives_schema = false;
                }
            }
        }
        assert!(seen.len() > 50, "found only {} schema types", seen.len());
    }
}
