//! Concentrated opinions at scale (X6), for `bench/run`: groups N synthetic residents' opinions (40
//! concerns said in several ways, with the everyday words residents add, across 50 rooms and a year)
//! and prints the seconds and the microseconds per opinion.
//!
//!   cargo run --release -p app --example cluster_bench -- 1000 10000

use std::collections::HashMap;
use std::time::Instant;

use app::insights::group_opinions;
use chrono::{Duration, TimeZone, Utc};
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

fn main() {
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
