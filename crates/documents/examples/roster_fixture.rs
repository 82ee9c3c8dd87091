//! Writes a synthetic member roster of N rows for the import benchmark (bench/run):
//! `cargo run --release -p documents --example roster_fixture -- 10000 roster.xlsx`

fn main() {
    let mut args = std::env::args().skip(1);
    let rows: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let out = args.next().unwrap_or_else(|| "roster.xlsx".to_owned());
    let districts = [
        "越秀区",
        "海珠区",
        "荔湾区",
        "天河区",
        "白云区",
        "黄埔区",
        "番禺区",
        "花都区",
        "南沙区",
        "从化区",
        "增城区",
    ];
    let levels = ["区", "区", "区", "市", "省", "全国"];
    let sectors = ["中共", "民革", "民盟", "经济界", "教育界", "医药卫生界", "港澳界"];
    let data: Vec<Vec<String>> = (0..rows)
        .map(|i| {
            vec![
                format!("测试委员{i:05}"),
                levels[i % levels.len()].to_owned(),
                districts[i % districts.len()].to_owned(),
                sectors[i % sectors.len()].to_owned(),
                if i % 97 == 0 { "是" } else { "否" }.to_owned(),
                format!("广州第{}有限公司", i % 500),
                "职员".to_owned(),
                format!("139{:08}", i),
                String::new(),
            ]
        })
        .collect();
    let bytes =
        documents::xlsx::write_sheet("委员名册", &domain::roster::HEADERS, &data).expect("write roster");
    std::fs::write(&out, bytes).expect("save roster");
    eprintln!("wrote {rows} rows to {out}");
}
