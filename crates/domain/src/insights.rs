//! Concentrated opinions (集中反映的意见, X6): residents' opinions that say much the same thing, across
//! rooms and months, grouped so a member sees a common concern and can start a social-conditions report
//! (社情民意信息) from it. Each opinion becomes weighted features — its words (from a Chinese segmenter
//! in the use case), the pairs of characters it is written with, and the recurring community matters
//! (事项) it names in any of the ways residents name them — which are weighed (TF-IDF), compared
//! (cosine) and grouped, with no I/O. docs/CONCENTRATED_OPINIONS.md gives the measured choice.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};

/// A group needs this many opinions to count as concentrated (集中).
pub const MIN_CLUSTER_SIZE: usize = 3;

/// How many keywords describe a group.
const KEYWORDS: usize = 5;

/// A matter that recurs in community work (事项), with the ways residents write it: the name a member
/// would use, then the words, typos and Cantonese turns that say it (加装电梯: 电悌, 落楼, 爬楼 …),
/// separated by spaces. Two opinions naming one matter meet although they share no other word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matter {
    pub name: &'static str,
    said_as: &'static str,
}

impl Matter {
    /// The ways of saying it.
    pub fn ways(self) -> impl Iterator<Item = &'static str> {
        self.said_as.split_whitespace()
    }
}

/// The recurring matters of Guangzhou's community work, written from what residents raise (the usual
/// categories of their requests), then made exact where a word turned out to mean something else.
pub const MATTERS: &[Matter] = &[
    matter(
        "加装电梯",
        "电梯 电悌 电锑 升降机 爬楼 落楼 上落楼 行楼梯 加梯 装梯",
    ),
    matter(
        "垃圾分类和清运",
        "垃圾 垃极 拉圾 厨余 投放点 投放时间 清运 垃圾桶 垃圾站 收集点",
    ),
    matter(
        "停车",
        "停车 泊车 车位 乱停 违停 泊位 停放车辆 停满 塞满车 乱泊 车停 消防通道 占道停",
    ),
    matter(
        "噪音扰民",
        "噪音 噪声 躁音 嘈 吵 扰民 广场舞 音响 喇叭 大声 电钻 电锯 打桩 夜间施工 唱K 低音炮",
    ),
    matter(
        "水浸和排水",
        "水浸 水侵 水淹 积水 内涝 易涝 排水 下水道 沙井 渠盖 雨水井 水沟 排水沟 倒灌 暴雨 淤塞",
    ),
    matter("电动自行车充电", "充电 飞线 电动车 电瓶车 电单车 电动自行车 电池"),
    matter(
        "物业管理",
        "物业 管理处 物管 维修基金 管理费 业委会 业主委员会 业主大会",
    ),
    matter(
        "长者饭堂和养老服务",
        "长者饭堂 饭堂 助餐 长者食堂 送餐 老人饭 养老 日间照料 托老 护理院 颐康 独居 长者服务 上门探访 居家照护",
    ),
    matter("路灯照明", "路灯 照明 灯坏 灯不亮 黑灯瞎火 好黑 太黑"),
    matter("入学和托育", "学位 幼儿园 入学 托育 托儿 读书难 划片"),
    matter("共享单车", "共享单车 单车 自行车"),
    matter("宠物和流浪动物", "狗 猫 宠物 流浪狗 流浪猫 流浪动物 狗屎 犬"),
    matter("油烟", "油烟 排烟 烟味 抽油烟 炒菜味"),
    matter("公交出行", "公交 巴士 班次 线路 公车 站点 地铁"),
    matter("燃气安全", "燃气 煤气 气管 瓶装气 液化气 管道气"),
    matter("外墙和高空坠物", "外墙 瓷砖 墙皮 高空坠物 掉落 脱落 批荡"),
    matter(
        "社区医疗",
        "社康 社区医院 卫生服务中心 卫生站 看病 门诊 挂号 家庭医生 医生",
    ),
    matter("消防安全", "消防 火灾 灭火器 着火 失火 逃生"),
    matter("河涌治理", "河涌 黑臭 涌边 河道 臭水"),
    matter("市场环境", "菜市场 街市 市场 肉档 菜档"),
    matter("绿化和树木", "绿化 树木 修剪 砍树 树枝 草地 榕树 树根"),
    matter("学校周边交通", "学校门口 校门 接送 放学 上学"),
    matter("道路交通", "拥堵 塞车 红绿灯 斑马线 过马路 交通"),
    matter("摩的拉客", "摩的 拉客 搭客 摩托"),
    matter("楼道杂物", "杂物 堆放 楼道 走廊 梯间"),
    matter("房屋漏水", "漏水 渗水 漏雨 防水层 天面"),
    matter("人行道和路面", "地砖 路面 坑洼 烂路 路坑 破损 高低不平 凹凸不平"),
    matter("公共厕所", "公厕 厕所 洗手间 卫生间"),
    matter("休息座椅", "座椅 凳 长椅 歇脚 坐一下"),
    matter("老旧小区改造", "微改造 老旧小区改造 旧改 改造"),
    matter("违法建设", "违建 违章 搭建 加建 僭建"),
];

const fn matter(name: &'static str, said_as: &'static str) -> Matter {
    Matter { name, said_as }
}

/// Words that hold a way of saying a matter but are about something else (养老金 is a pension, not
/// elderly care; a 流浪汉 is a person): found as words of their own, they name no matter.
const NOT_MATTERS: &[&str] = &["养老金", "流浪汉", "梯子", "电梯广告", "消防栓"];

/// Words every opinion uses, in Mandarin and in Cantonese, and the words of complaint itself (希望,
/// 问题, 严重, 不足): they say that something is wrong, not what.
const STOP_WORDS: &str = "\
    一些 一个 一直 一下 不是 不能 不要 为了 乃至 也是 了解 什么 今年 \
    他们 以及 以后 以前 但是 何时 你们 使用 便于 其他 其中 具体 凡是 \
    到底 反映 可以 可能 各位 同时 告知 多个 多次 大家 如何 如果 存在 \
    对于 尽快 已经 希望 建议 怎么 总是 情况 我们 所以 所有 把握 提出 \
    政府 政协 时候 是否 有关 有些 本人 来说 没有 现在 由于 目前 相关 \
    社区 群众 能否 能够 自己 要求 解决 觉得 请求 谢谢 这个 这些 这样 \
    进行 还是 那个 那些 部门 问题 非常 需要 领导 委员 居民 街道 工作室 \
    处理 办理 一起 一年 几年 多年 去年 明年 每天 经常 严重 政协委员 \
    呼吁 帮忙 带来 很大 不足 太少 太多 很多 好多 不够 困难 影响 安全 \
    隐患 方便 不便 出行 麻烦 辛苦 实在 真的 真系 根本 完全 一点 有点 \
    小区 附近 楼下 门口 每次 晚上 早上 白天 天天 成日 日日 街坊 阿婆 \
    阿伯 阿姨 老人 老人家 长者 住户 业主 大家 唔该 点解 点算 好似 搞掂 \
    咩事 边个 而家 宜家 今日 琴日 听日 尤其 特别 十分 比较 还有 而且 \
    并且 因为 导致 造成 希望能 请问 能不能 可不可以 有没有 怎么办 关注 \
    重视 落实 改善 加强 协调 督促 投诉 热线 12345 市民 我家 我们家 只能 人家 \
    好耐 几耐 成个 一次 两次 几次 终于 仍然 依然 始终 区内 区里 里面 外面";

/// Characters that carry no matter — particles and function characters, Cantonese ones too: a pair
/// of characters holding one is not weighed.
const FUNCTION_CHARS: &str = "的了是在我你他她它们有和与及也都就很太好吗呢啊吧呀嘛哦喔啦咯嘅啲咁冇唔係咗喺佢哋乜嘢噉嚟囉咩个個这這那此其之而且或但被把将给让对向从到于为已还再又才真系去来上下里中个些得地着过要会能想说请";

/// Whether a segment is worth weighing as a word: at least two letters or characters, not only digits,
/// not a stop word.
pub fn is_meaningful_term(term: &str) -> bool {
    term.chars().count() >= 2
        && term.chars().all(char::is_alphanumeric)
        && !term.chars().all(|c| c.is_ascii_digit())
        && !STOP_WORDS.split_whitespace().any(|stop| stop == term)
}

/// One thing an opinion is recognised by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Feature {
    /// A word the segmenter found.
    Word(String),
    /// Two Chinese characters written next to each other (装电梯 and 加装电梯 share 电梯 however the
    /// segmenter cut them).
    Pair([char; 2]),
    /// A recurring matter named in any of its ways, by its index in `MATTERS`.
    Matter(usize),
}

/// The features of one opinion: its meaningful `words`, its pairs of Chinese characters, and each
/// matter of `MATTERS` it names.
pub fn features(text: &str, words: &[String]) -> Vec<Feature> {
    let mut out: Vec<Feature> = words
        .iter()
        .filter(|w| is_meaningful_term(w))
        .map(|w| Feature::Word(w.clone()))
        .collect();
    let chars: Vec<char> = text.chars().collect();
    for pair in chars.windows(2) {
        let [a, b] = [pair[0], pair[1]];
        let chinese = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
        if chinese(a) && chinese(b) && !FUNCTION_CHARS.contains(a) && !FUNCTION_CHARS.contains(b) {
            let word: String = [a, b].iter().collect();
            if !STOP_WORDS.split_whitespace().any(|stop| stop == word) {
                out.push(Feature::Pair([a, b]));
            }
        }
    }
    // Longest first, so that 消防通道 (blocked by parked cars) is parking, not fire safety (消防).
    let mut named: Vec<usize> = MATTER_WORDS
        .0
        .find_iter(text)
        .filter_map(|found| MATTER_WORDS.1[found.pattern().as_usize()])
        .collect();
    named.sort_unstable();
    named.dedup();
    out.extend(named.into_iter().map(Feature::Matter));
    out
}

/// Every way of saying a matter, searched in one pass (leftmost, longest), with the matter of each;
/// `NOT_MATTERS` are searched too, and name none.
static MATTER_WORDS: LazyLock<(AhoCorasick, Vec<Option<usize>>)> = LazyLock::new(|| {
    let (ways, matters): (Vec<&str>, Vec<Option<usize>>) = MATTERS
        .iter()
        .enumerate()
        .flat_map(|(i, m)| m.ways().map(move |way| (way, Some(i))))
        .chain(NOT_MATTERS.iter().map(|word| (*word, None)))
        .unzip();
    let searcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(ways)
        .expect("the ways of saying matters are a small fixed list");
    (searcher, matters)
});

/// How opinions are weighed and grouped. `Grouping::CHOSEN` is what the system uses; the others are the
/// alternatives measured against it (docs/CONCENTRATED_OPINIONS.md, `cluster_bench --compare`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grouping {
    /// Two opinions belong together when the cosine of an opinion with a group's centre reaches this.
    pub similarity: f64,
    /// The weight of a pair of characters beside a word's 1.
    pub pair_weight: f64,
    /// How much of an opinion the matters it names make, however long it is (0: matters unused): the
    /// length of that part of its unit vector. Two opinions naming only the same matter are at least
    /// `matter_share²` similar, whatever else they say.
    pub matter_share: f64,
}

impl Grouping {
    /// Chosen on the labelled set in crates/app/tests/data (see the docs for the figures).
    pub const CHOSEN: Self = Self {
        similarity: 0.4,
        pair_weight: 1.0,
        matter_share: 0.7,
    };
    /// Words alone, as grouped before the labelled set existed.
    pub const WORDS_ONLY: Self = Self {
        similarity: 0.3,
        pair_weight: 0.0,
        matter_share: 0.0,
    };
}

/// A group of similar opinions: their ids (ascending), the matter in words a member would write, and
/// the words they share, most telling first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub ids: Vec<i64>,
    pub matter: String,
    pub keywords: Vec<String>,
}

/// Groups opinions given as (id, features) into concentrated groups of at least `MIN_CLUSTER_SIZE`,
/// largest first, as `Grouping::CHOSEN` says.
pub fn clusters(opinions: &[(i64, Vec<Feature>)]) -> Vec<Cluster> {
    clusters_with(&Grouping::CHOSEN, opinions)
}

/// Groups as `grouping` says. Read in the order given, an opinion joins the group whose centre (the sum
/// of its members' weighted features) it is most similar to, when the cosine reaches the similarity,
/// and starts a group otherwise; a second pass moves each opinion to the centre it is now closest to,
/// so the order matters little. Comparing with a
/// group's centre, not with any one member, keeps a group from drifting through a chain of neighbours
/// (parking → fire lanes → shared bikes).
pub fn clusters_with(grouping: &Grouping, opinions: &[(i64, Vec<Feature>)]) -> Vec<Cluster> {
    let weight = |feature: &Feature| match feature {
        Feature::Word(_) => 1.0,
        Feature::Pair(_) => grouping.pair_weight,
        Feature::Matter(_) => grouping.matter_share,
    };
    let docs: Vec<HashMap<&Feature, f64>> = opinions
        .iter()
        .map(|(_, features)| {
            let mut tf: HashMap<&Feature, f64> = HashMap::new();
            for feature in features.iter().filter(|f| weight(f) > 0.0) {
                *tf.entry(feature).or_default() += 1.0;
            }
            tf
        })
        .collect();
    let mut df: HashMap<&Feature, usize> = HashMap::new();
    for doc in &docs {
        for feature in doc.keys() {
            *df.entry(feature).or_default() += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let n = docs.len() as f64;
    #[allow(clippy::cast_precision_loss)]
    let idf = |feature: &Feature| ((n + 1.0) / (df[feature] as f64 + 1.0)).ln() + 1.0;
    // Features as numbers, and each opinion as a unit vector of (feature, weight): its words and
    // pairs by TF-IDF (a feature said twice counts less than twice, 1 + ln tf), and the matters it
    // names, each alike, as `matter_share` of the length.
    let mut vocabulary: HashMap<&Feature, usize> = HashMap::new();
    let vectors: Vec<Vec<(usize, f64)>> = docs
        .iter()
        .map(|doc| {
            let mut said: Vec<(usize, f64)> = Vec::new();
            let mut matters: Vec<(usize, f64)> = Vec::new();
            for (feature, tf) in doc {
                let next = vocabulary.len();
                let id = *vocabulary.entry(feature).or_insert(next);
                if matches!(feature, Feature::Matter(_)) {
                    matters.push((id, 1.0));
                } else {
                    said.push((id, (1.0 + tf.ln()) * weight(feature) * idf(feature)));
                }
            }
            let share = match (said.is_empty(), matters.is_empty()) {
                (_, true) => 0.0,
                (true, false) => 1.0,
                (false, false) => grouping.matter_share,
            };
            for (part, length) in [(&mut said, (1.0 - share * share).sqrt()), (&mut matters, share)] {
                let norm = part.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
                for (_, w) in part.iter_mut() {
                    *w *= length / norm;
                }
            }
            said.extend(matters);
            said
        })
        .collect();
    let mut centres = Centres::new(vocabulary.len());
    let mut first: Vec<Option<usize>> = vec![None; vectors.len()];
    for (i, vector) in vectors.iter().enumerate() {
        if vector.is_empty() {
            continue;
        }
        let c = match centres.closest(vector, None) {
            Some((c, dot, cosine)) if cosine >= grouping.similarity => {
                centres.add(c, vector, dot);
                c
            }
            _ => {
                let c = centres.open();
                centres.add(c, vector, 0.0);
                c
            }
        };
        first[i] = Some(c);
    }
    // Last pass: each opinion to the centre now closest, if close enough. An opinion of a group too
    // small to count compares with its own centre as if without it: else one that started a group
    // alone would always stay there (cosine 1) and be lost with it.
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, vector) in vectors.iter().enumerate() {
        let small_own = first[i].filter(|&c| centres.sizes[c] < MIN_CLUSTER_SIZE);
        if let Some((c, _, cosine)) = centres.closest(vector, small_own)
            && cosine >= grouping.similarity
        {
            members.entry(c).or_default().push(i);
        }
    }
    let mut out: Vec<Cluster> = members
        .into_values()
        .filter(|members| members.len() >= MIN_CLUSTER_SIZE)
        .map(|members| {
            let mut ids: Vec<i64> = members.iter().map(|&i| opinions[i].0).collect();
            ids.sort_unstable();
            let (matter, keywords) = describe(&members, &docs, &idf);
            Cluster {
                ids,
                matter,
                keywords,
            }
        })
        .collect();
    out.sort_by(|a, b| b.ids.len().cmp(&a.ids.len()).then(a.ids.cmp(&b.ids)));
    out
}

/// Group centres as sums of their members' unit vectors, with, for each feature, the centres that
/// hold it: an opinion is compared only with centres it shares a feature with.
struct Centres {
    sums: Vec<HashMap<usize, f64>>,
    norms_squared: Vec<f64>,
    /// How many opinions each centre holds.
    sizes: Vec<usize>,
    holding: Vec<Vec<usize>>,
    /// Scratch: dot products with each centre, and which are set.
    dots: Vec<f64>,
    touched: Vec<usize>,
}

impl Centres {
    fn new(features: usize) -> Self {
        Self {
            sums: Vec::new(),
            norms_squared: Vec::new(),
            sizes: Vec::new(),
            holding: vec![Vec::new(); features],
            dots: Vec::new(),
            touched: Vec::new(),
        }
    }

    fn open(&mut self) -> usize {
        self.sums.push(HashMap::new());
        self.norms_squared.push(0.0);
        self.sizes.push(0);
        self.dots.push(0.0);
        self.sums.len() - 1
    }

    /// Adds a unit vector whose dot product with the centre is `dot`.
    fn add(&mut self, c: usize, vector: &[(usize, f64)], dot: f64) {
        self.norms_squared[c] += 2.0 * dot + 1.0;
        self.sizes[c] += 1;
        for &(feature, weight) in vector {
            let sum = self.sums[c].entry(feature).or_insert_with(|| {
                self.holding[feature].push(c);
                0.0
            });
            *sum += weight;
        }
    }

    /// The most similar centre: (centre, dot product, cosine); ties go to the older centre. The centre
    /// `own` holds `vector` itself and is compared as if without it.
    fn closest(&mut self, vector: &[(usize, f64)], own: Option<usize>) -> Option<(usize, f64, f64)> {
        for &(feature, weight) in vector {
            for &c in &self.holding[feature] {
                if self.dots[c] == 0.0 {
                    self.touched.push(c);
                }
                self.dots[c] += weight * self.sums[c][&feature];
            }
        }
        let mut best: Option<(usize, f64, f64)> = None;
        for c in self.touched.drain(..) {
            let mut dot = self.dots[c];
            let mut norm_squared = self.norms_squared[c];
            self.dots[c] = 0.0;
            if self.sizes[c] == 0 {
                continue;
            }
            if own == Some(c) {
                // Take the opinion's own unit vector out: |s - d|² = |s|² - 2 s·d + 1, (s - d)·d = s·d - 1.
                norm_squared -= 2.0 * dot - 1.0;
                dot -= 1.0;
                if norm_squared < 1e-9 {
                    continue;
                }
            }
            let cosine = dot / norm_squared.sqrt();
            let better = best.is_none_or(|(b, _, bc)| match cosine.total_cmp(&bc) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Equal => c < b,
                std::cmp::Ordering::Less => false,
            });
            if better {
                best = Some((c, dot, cosine));
            }
        }
        best
    }
}

/// A group's matter in words and its keywords. The matter is the recurring matter the group names
/// most (加装电梯), or else its two most shared words (河涌 + 黑臭); the keywords are the other
/// matters and words a good part of the group uses, the most used first.
fn describe(
    members: &[usize],
    docs: &[HashMap<&Feature, f64>],
    idf: &impl Fn(&Feature) -> f64,
) -> (String, Vec<String>) {
    let mut shared: HashMap<&Feature, usize> = HashMap::new();
    for &i in members {
        for feature in docs[i].keys() {
            if !matches!(feature, Feature::Pair(_)) {
                *shared.entry(feature).or_default() += 1;
            }
        }
    }
    let name = |feature: &Feature| match feature {
        Feature::Word(word) => word.clone(),
        Feature::Matter(i) => MATTERS[*i].name.to_owned(),
        Feature::Pair(pair) => pair.iter().collect(),
    };
    // Used by at least a quarter of the group (and at least two opinions): the rest is one resident's.
    // Matters first, then used by more of the group; among equals the rarer overall, then the longer (停车位
    // before 停车), then by the word itself.
    let mut ranked: Vec<(&Feature, usize)> = shared
        .iter()
        .map(|(feature, count)| (*feature, *count))
        .filter(|(_, count)| *count >= 2 && *count * 4 >= members.len())
        .collect();
    ranked.sort_by(|(a, ca), (b, cb)| {
        matches!(b, Feature::Matter(_))
            .cmp(&matches!(a, Feature::Matter(_)))
            .then(cb.cmp(ca))
            .then(idf(b).total_cmp(&idf(a)))
            .then(name(b).chars().count().cmp(&name(a).chars().count()))
            .then(name(a).cmp(&name(b)))
    });
    if ranked.is_empty() {
        // Nothing half the group shares: what is shared most, so the group still has a name.
        ranked = shared.into_iter().collect();
        ranked.sort_by(|(a, ca), (b, cb)| cb.cmp(ca).then(name(a).cmp(&name(b))));
    }
    // A word inside a chosen one, or holding it, says the same twice (停车 / 停车位); so does a word a
    // chosen matter is said as (电梯 under 加装电梯).
    let mut chosen: Vec<String> = Vec::new();
    let mut said: HashSet<&str> = HashSet::new();
    let mut matter: Option<String> = None;
    for (feature, _) in ranked {
        if chosen.len() == KEYWORDS {
            break;
        }
        let word = name(feature);
        if let Feature::Matter(i) = feature {
            said.extend(MATTERS[*i].ways());
            matter.get_or_insert_with(|| word.clone());
        } else if said
            .iter()
            .any(|way| word.contains(way) || way.contains(word.as_str()))
            || STOP_WORDS.split_whitespace().any(|stop| word.contains(stop))
        {
            // Said by a chosen matter already, or a complaint around a word (严重不足).
            continue;
        }
        if !chosen
            .iter()
            .any(|c| c.contains(word.as_str()) || word.contains(c.as_str()))
        {
            chosen.push(word);
        }
    }
    // The matter heads the group; its keywords are what else it is about.
    match matter {
        Some(matter) => {
            chosen.retain(|k| *k != matter);
            (matter, chosen)
        }
        // No recurring matter: the two most shared words name it, and the rest are its keywords; a
        // group sharing no word at all is named plainly.
        None if chosen.is_empty() => ("相近".to_owned(), chosen),
        None => {
            let named: String = chosen.iter().take(2).cloned().collect();
            let rest = chosen.into_iter().skip(2).collect();
            (named, rest)
        }
    }
}

/// How far a grouping agrees with a person's: B-cubed precision and recall. For each opinion,
/// precision is the share of its found group that a person put with it, recall the share of the
/// person's group that was found with it; both are averaged over all opinions. An opinion in no found
/// group is a group of its own, and so is one the person left alone (`None`).
pub fn bcubed(found: &[Vec<i64>], truth: &[(i64, Option<&str>)]) -> (f64, f64) {
    let group_of: HashMap<i64, usize> = found
        .iter()
        .enumerate()
        .flat_map(|(g, ids)| ids.iter().map(move |&id| (id, g)))
        .collect();
    let label_of: HashMap<i64, Option<&str>> = truth.iter().copied().collect();
    let label = |id: i64| label_of.get(&id).copied().flatten();
    let same_label = |a: i64, b: i64| a == b || matches!((label(a), label(b)), (Some(x), Some(y)) if x == y);
    let mut by_label: HashMap<&str, Vec<i64>> = HashMap::new();
    for &(id, label) in truth {
        if let Some(label) = label {
            by_label.entry(label).or_default().push(id);
        }
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for &(id, label) in truth {
        let found_with: &[i64] = group_of
            .get(&id)
            .map_or(std::slice::from_ref(&id), |&g| &found[g]);
        let person_with: &[i64] = label.map_or(std::slice::from_ref(&id), |l| &by_label[l]);
        let right = found_with.iter().filter(|&&other| same_label(id, other)).count();
        #[allow(clippy::cast_precision_loss)]
        {
            precision += right as f64 / found_with.len() as f64;
            recall += right as f64 / person_with.len() as f64;
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let n = truth.len().max(1) as f64;
    (precision / n, recall / n)
}

/// An opinion's words fit to quote beyond the room (excerpts, drafts, Word files): residents often
/// write their own number, ID or name into the matter. Runs of seven or more digits (spaces and hyphens
/// between them allowed, an ID's final X included) become ＊＊＊, and the resident's `name` becomes its
/// masked form (陈思远 → 陈**).
pub fn redact_contact(text: &str, name: Option<&str>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A run of digits, with single separators between them.
        let start = i;
        let mut digits = 0;
        let mut end = i;
        while end < chars.len() {
            if chars[end].is_ascii_digit() {
                digits += 1;
                end += 1;
            } else if matches!(chars[end], ' ' | '-') && chars.get(end + 1).is_some_and(char::is_ascii_digit)
            {
                end += 1;
            } else {
                break;
            }
        }
        if digits == 17 && matches!(chars.get(end), Some('X' | 'x')) {
            end += 1;
            digits += 1;
        }
        if digits >= 7 {
            out.push_str("＊＊＊");
        } else {
            out.extend(&chars[start..end]);
        }
        i = end;
    }
    match name.map(str::trim) {
        Some(name) if name.chars().count() >= 2 && name.chars().all(char::is_alphabetic) => {
            out.replace(name, &crate::opinion::mask_name(name))
        }
        _ => out,
    }
}

/// What a draft social-conditions report is made from: the group and where and when it was heard.
#[derive(Debug, Clone)]
pub struct DraftSource<'a> {
    /// The matter in words (加装电梯), as `Cluster::matter`.
    pub matter: &'a str,
    pub keywords: &'a [String],
    pub count: usize,
    /// The rooms that heard it, by name.
    pub rooms: &'a [String],
    /// The first and last month it was heard, as 2026年3月.
    pub first_month: &'a str,
    pub last_month: &'a str,
    /// A few of the opinions in the residents' words (no names, phones or communities).
    pub excerpts: &'a [String],
}

/// A draft 社情民意信息 to start from: a title and a body in the usual three parts (基本情况, 原因分析,
/// 意见建议); the parts only the member can write are marked for them.
pub fn draft_social_report(source: &DraftSource<'_>) -> (String, String) {
    let matter = source.matter;
    let title = format!("关于群众集中反映{matter}问题的情况和建议");
    let topic = source
        .keywords
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join("、");
    let period = if source.first_month == source.last_month {
        source.first_month.to_owned()
    } else {
        format!("{}至{}", source.first_month, source.last_month)
    };
    let rooms = source.rooms.join("、");
    let about = if topic.is_empty() {
        String::new()
    } else {
        format!("，涉及{topic}等方面")
    };
    let mut body = format!(
        "一、基本情况\n{period}，{rooms}共收到群众反映{matter}问题{count}件{about}。群众反映摘录：\n",
        count = source.count,
    );
    for (n, excerpt) in source.excerpts.iter().enumerate() {
        // Writing to a String cannot fail.
        let _ = writeln!(body, "{}. {excerpt}", n + 1);
    }
    body.push_str(
        "\n二、原因分析\n（请委员结合走访调研补充。）\n\n三、意见建议\n（请委员提出具体、可行的建议。）\n",
    );
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An opinion as the use case gives it: the text and its words (here split at spaces).
    fn opinion(text: &str) -> Vec<Feature> {
        let words: Vec<String> = text.split(' ').map(str::to_owned).collect();
        features(&text.replace(' ', ""), &words)
    }

    #[test]
    fn similar_opinions_group_and_a_lone_one_does_not() {
        let opinions = vec![
            (1, opinion("老旧 小区 停车位 不足 晚上 停车 困难")),
            (2, opinion("小区 停车 困难 停车位 太少")),
            (3, opinion("停车位 不足 老旧 小区 乱 停车")),
            (4, opinion("加装 电梯 审批 流程 太长")),
            (5, opinion("路灯 坏 了 晚上 出行 不便")),
            (6, opinion("希望 加装 电梯 简化 审批")),
        ];
        let groups = clusters(&opinions);
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert_eq!(groups[0].ids, vec![1, 2, 3]);
        assert_eq!(groups[0].matter, "停车");
        assert!(!groups[0].keywords.contains(&"停车".to_owned()), "not said twice");
        assert!(groups[0].keywords.contains(&"老旧".to_owned()), "{groups:?}");
        assert!(
            !groups[0].keywords.iter().any(|k| k == "停车位" || k == "车位"),
            "said as 停车: said once"
        );
    }

    #[test]
    fn stop_words_and_digits_do_not_make_opinions_similar() {
        let opinions = vec![
            (1, opinion("希望 尽快 解决 问题 12 号楼 路灯")),
            (2, opinion("希望 尽快 解决 问题 12 号楼 噪音")),
            (3, opinion("希望 尽快 解决 问题 12 号楼 漏水")),
        ];
        // Only 号楼 is shared and meaningful: not enough to call it one concern.
        assert_eq!(clusters(&opinions), vec![]);
        assert!(!is_meaningful_term("不足") && !is_meaningful_term("严重"));
        assert!(!is_meaningful_term("希望") && !is_meaningful_term("12") && !is_meaningful_term("，"));
        assert!(is_meaningful_term("电梯") && is_meaningful_term("5G"));
    }

    #[test]
    fn numbers_ids_and_the_residents_name_are_taken_out_of_quotes() {
        assert_eq!(
            redact_contact(
                "我是李秀英，电话 139-1234-5678，身份证44010419800101123X，住 3 栋 1203 房",
                Some("李秀英")
            ),
            "我是李**，电话 ＊＊＊，身份证＊＊＊，住 3 栋 1203 房"
        );
        assert_eq!(
            redact_contact("12 号楼前路灯坏了 2 周", None),
            "12 号楼前路灯坏了 2 周"
        );
        assert_eq!(
            redact_contact("座机 020 8888 6666", Some("（已匿名）")),
            "座机 ＊＊＊"
        );
    }

    #[test]
    fn an_opinion_is_compared_with_its_own_group_as_if_without_it() {
        let unit = |pairs: &[(usize, f64)]| {
            let norm = pairs.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            pairs.iter().map(|&(t, w)| (t, w / norm)).collect::<Vec<_>>()
        };
        let alone = unit(&[(0, 1.0), (1, 1.0)]);
        let others = [
            unit(&[(0, 1.0), (1, 1.0), (2, 1.0)]),
            unit(&[(0, 1.0), (1, 0.8), (2, 1.0)]),
        ];
        let mut centres = Centres::new(3);
        let own = centres.open();
        centres.add(own, &alone, 0.0);
        let larger = centres.open();
        centres.add(larger, &others[0], 0.0);
        let (_, dot, _) = centres.closest(&others[1], None).unwrap();
        centres.add(larger, &others[1], dot);
        // Counted in, its own group of one would always win (cosine 1); counted out, it has none.
        assert_eq!(centres.closest(&alone, None).map(|(c, _, _)| c), Some(own));
        let (c, _, cosine) = centres.closest(&alone, Some(own)).unwrap();
        assert_eq!(c, larger);
        assert!(cosine > Grouping::CHOSEN.similarity && cosine < 1.0);
    }

    #[test]
    fn a_matter_is_recognised_in_the_ways_residents_write_it() {
        let lift = MATTERS.iter().position(|m| m.name == "加装电梯").unwrap();
        let said = features("七楼阿婆日日爬楼好辛苦", &[]);
        assert!(said.contains(&Feature::Matter(lift)), "{said:?}");
        assert!(said.contains(&Feature::Pair(['七', '楼'])));
        assert!(
            !said.contains(&Feature::Pair(['好', '辛'])),
            "a particle makes no pair"
        );
        assert!(features("装电悌", &[]).contains(&Feature::Matter(lift)));
        assert!(!features("路灯坏了", &[]).contains(&Feature::Matter(lift)));
    }

    #[test]
    fn bcubed_weighs_each_opinion() {
        let truth = [
            (1, Some("a")),
            (2, Some("a")),
            (3, Some("a")),
            (4, Some("b")),
            (5, Some("b")),
            (6, None),
        ];
        let (precision, recall) = bcubed(&[vec![1, 2, 4]], &truth);
        assert!((precision - 14.0 / 18.0).abs() < 1e-9, "{precision}");
        assert!((recall - 11.0 / 18.0).abs() < 1e-9, "{recall}");
        let (precision, recall) = bcubed(&[vec![1, 2, 3], vec![4, 5]], &truth);
        assert!((precision - 1.0).abs() < 1e-9 && (recall - 1.0).abs() < 1e-9);
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(clusters(&[]).is_empty());
        assert!(clusters(&[(1, vec![]), (2, vec![]), (3, vec![])]).is_empty());
        assert_eq!(bcubed(&[], &[]), (0.0, 0.0));
    }

    #[test]
    fn a_draft_names_the_concern_the_rooms_and_the_period() {
        let keywords = vec!["停车位".to_owned(), "小区".to_owned()];
        let rooms = vec![
            "洪桥街政协委员工作室".to_owned(),
            "北京街政协委员工作室".to_owned(),
        ];
        let excerpts = vec!["小区停车位太少。".to_owned()];
        let (title, body) = draft_social_report(&DraftSource {
            matter: "停车",
            keywords: &keywords,
            count: 4,
            rooms: &rooms,
            first_month: "2026年3月",
            last_month: "2026年10月",
            excerpts: &excerpts,
        });
        assert_eq!(title, "关于群众集中反映停车问题的情况和建议");
        assert!(body.starts_with(
            "一、基本情况\n2026年3月至2026年10月，洪桥街政协委员工作室、北京街政协委员工作室共收到群众反映停车问题4件，涉及停车位、小区等方面"
        ));
        assert!(body.contains("1. 小区停车位太少。"));
        assert!(body.contains("三、意见建议"));
        // A group with no keywords beside its matter says nothing of what it touches.
        let (_, body) = draft_social_report(&DraftSource {
            matter: "停车",
            keywords: &[],
            count: 4,
            rooms: &rooms,
            first_month: "2026年3月",
            last_month: "2026年3月",
            excerpts: &excerpts,
        });
        assert!(
            body.contains(
                "2026年3月，洪桥街政协委员工作室、北京街政协委员工作室共收到群众反映停车问题4件。群众反映摘录"
            ),
            "{body}"
        );
    }
}
