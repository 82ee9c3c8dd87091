//! Concentrated opinions at scale (X6), for `bench/run`: groups N synthetic residents' opinions (40
//! concerns said in several ways, with the everyday words residents add, across 50 rooms and a year)
//! and prints the seconds and the microseconds per opinion.
//!
//!   cargo run --release -p app --example cluster_bench -- 1000 10000
//!
//! With `--compare` it prints, instead, the B-cubed figures of the chosen grouping and of the
//! alternatives on the labelled sets in crates/app/tests/data (docs/CONCENTRATED_OPINIONS.md).

use std::collections::HashMap;
use std::time::Instant;

use app::insights::{LabelledSet, group_opinions};
use chrono::{Duration, TimeZone, Utc};
use domain::insights::Grouping;
use store::opinions::OpinionText;

const PLACES: [&str; 8] = [
    "小区",
    "社区",
    "街道",
    "楼下",
    "路口",
    "菜市场旁",
    "学校门口",
    "公园里",
];
const CONCERNS: [&str; 40] = [
    "停车位严重不足",
    "共享单车乱停放",
    "路灯坏了很久",
    "电梯经常故障",
    "加装电梯审批慢",
    "垃圾清运不及时",
    "夜间施工噪音大",
    "广场舞音量太大",
    "下水道堵塞",
    "人行道地砖松动",
    "长者饭堂菜品少",
    "社区医院排队久",
    "学位紧张",
    "公交线路太少",
    "地铁站出口绕远",
    "违章搭建",
    "占道经营",
    "外墙瓷砖脱落",
    "二次供水水质差",
    "物业费不透明",
    "维修基金使用不公开",
    "充电桩太少",
    "电动车飞线充电",
    "消防通道被占",
    "绿化带缺少养护",
    "公厕太少",
    "无障碍设施缺失",
    "老人助餐点太远",
    "托育机构太少",
    "快递柜收费高",
    "油烟扰民",
    "宠物粪便无人清理",
    "流浪猫狗增多",
    "积水内涝",
    "老旧管线漏水",
    "防盗网锈蚀",
    "楼道堆放杂物",
    "文化活动场地不足",
    "健身器材老化",
    "监控探头损坏",
];
const ASIDES: [&str; 6] = [
    "希望有关部门尽快解决。",
    "已经反映过多次。",
    "老人出行很不方便。",
    "给居民生活带来很大困扰。",
    "请政协委员帮忙呼吁。",
    "",
];

fn synthetic(n: usize) -> Vec<OpinionText> {
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 2, 0, 0).unwrap();
    // A fixed linear congruential sequence: the same opinions in every run.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |bound: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).unwrap() % bound
    };
    (0..n)
        .map(|i| OpinionText {
            id: i64::try_from(i).unwrap() + 1,
            room_id: i64::try_from(next(50)).unwrap() + 1,
            content: format!(
                "{}{}，{}",
                PLACES[next(PLACES.len())],
                CONCERNS[next(CONCERNS.len())],
                ASIDES[next(ASIDES.len())]
            ),
            contact_name: "（演示）".to_owned().into(),
            received_at: start + Duration::minutes(i64::try_from(next(525_600)).unwrap()),
        })
        .collect()
}

/// The labelled sets of the tests, by name.
const SETS: [(&str, &str); 2] = [
    ("main", include_str!("../tests/data/concentrated_opinions.json")),
    (
        "held out",
        include_str!("../tests/data/concentrated_opinions_holdout.json"),
    ),
];

/// B-cubed precision and recall of `grouping` on each labelled set, and the number of groups.
fn scores(grouping: &Grouping) -> Vec<(f64, f64, usize)> {
    SETS.iter()
        .map(|(_, json)| {
            let set: LabelledSet = serde_json::from_str(json).expect("the labelled sets parse");
            let e = set.evaluate(grouping);
            (e.precision, e.recall, e.groups.len())
        })
        .collect()
}

/// `--compare`: the chosen grouping, words alone, and a sweep of the threshold and the weights, each
/// with its figures on both sets. The sweep is ranked by the main set's F1 only; the held-out set is
/// read, never chosen on. Also the best without pairs of characters and the best without matters.
fn compare() {
    let line = |name: &str, g: &Grouping| {
        let s = scores(g);
        println!(
            "{name:<30} sim {:.2} pair {:.1} matter {:.2} | main P {:.3} R {:.3} groups {:>2} | held out P {:.3} R {:.3} groups {:>2}",
            g.similarity, g.pair_weight, g.matter_share, s[0].0, s[0].1, s[0].2, s[1].0, s[1].1, s[1].2
        );
    };
    line("chosen", &Grouping::CHOSEN);
    line("words only (before)", &Grouping::WORDS_ONLY);
    let mut sweep: Vec<(f64, Grouping)> = Vec::new();
    for similarity in [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5] {
        for pair_weight in [0.0, 0.3, 0.6, 1.0, 1.5] {
            for matter_share in [0.0, 0.5, 0.6, 0.7, 0.8, 0.9] {
                let g = Grouping {
                    similarity,
                    pair_weight,
                    matter_share,
                };
                let (p, r, _) = scores(&g)[0];
                sweep.push((2.0 * p * r / (p + r), g));
            }
        }
    }
    sweep.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (f1, g) in sweep.iter().take(8) {
        line(&format!("sweep, main F1 {f1:.3}"), g);
    }
    let best = |keep: &dyn Fn(&Grouping) -> bool| sweep.iter().find(|(_, g)| keep(g)).copied();
    if let Some((f1, g)) = best(&|g| g.pair_weight == 0.0) {
        line(&format!("no pairs, main F1 {f1:.3}"), &g);
    }
    if let Some((f1, g)) = best(&|g| g.matter_share == 0.0) {
        line(&format!("no matters, main F1 {f1:.3}"), &g);
    }
    // Residents' own texts at a city's yearly volume: the main set over and over, to 10,000.
    let set: LabelledSet = serde_json::from_str(SETS[0].1).expect("the labelled sets parse");
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 2, 0, 0).unwrap();
    let texts: Vec<OpinionText> = (0..10_000)
        .map(|i| {
            let o = &set.opinions[i % set.opinions.len()];
            OpinionText {
                id: i64::try_from(i).unwrap() + 1,
                room_id: o.room,
                content: o.text.clone(),
                contact_name: "（演示）".to_owned().into(),
                received_at: start + Duration::hours(i64::try_from(i).unwrap()),
            }
        })
        .collect();
    let names: HashMap<i64, String> = (1..=6).map(|id| (id, format!("工作室{id}"))).collect();
    let started = Instant::now();
    let groups = group_opinions(&texts, &names);
    println!(
        "10,000 residents' texts (the main set repeated): {:.3} s, {} groups",
        started.elapsed().as_secs_f64(),
        groups.len()
    );
}

fn main() {
    if std::env::args().nth(1).as_deref() == Some("--compare") {
        compare();
        return;
    }
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("sizes are counts"))
        .collect();
    let names: HashMap<i64, String> = (1..=50).map(|id| (id, format!("工作室{id}"))).collect();
    // Load the dictionary first, so the first size does not pay for it.
    let _ = group_opinions(&synthetic(10), &names);
    for n in if sizes.is_empty() {
        vec![1000, 10000]
    } else {
        sizes
    } {
        let texts = synthetic(n);
        let started = Instant::now();
        let groups = group_opinions(&texts, &names);
        let seconds = started.elapsed().as_secs_f64();
        #[allow(clippy::cast_precision_loss)]
        let per = seconds * 1e6 / n as f64;
        println!("{n} {seconds:.3} {per:.1} {}", groups.len());
    }
}
