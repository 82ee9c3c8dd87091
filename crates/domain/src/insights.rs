//! Concentrated opinions (集中反映的意见, X6): residents' opinions that say much the same thing, across
//! rooms and months, grouped so a member sees a common concern and can start a social-conditions report
//! (社情民意信息) from it. The words come from a Chinese segmenter in the use case; here they are weighed
//! (TF-IDF), compared (cosine) and grouped, with no I/O.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// A group needs this many opinions to count as concentrated (集中).
pub const MIN_CLUSTER_SIZE: usize = 3;

/// Two opinions belong together when the cosine of their TF-IDF vectors reaches this. Tuned on short
/// residents' texts: the same concern in other words (停车位不够 / 停车难) stays together, opinions that
/// share only a place name (三眼井) do not.
pub const SIMILARITY: f64 = 0.3;

/// How many keywords describe a group.
const KEYWORDS: usize = 5;

/// Words every opinion uses: they say nothing about what it is about.
const STOP_WORDS: &str = "\
    一些 一个 一直 一下 不是 不能 不要 为了 乃至 也是 了解 什么 今年 \
    他们 以及 以后 以前 但是 何时 你们 使用 便于 其他 其中 具体 凡是 \
    到底 反映 可以 可能 各位 同时 告知 多个 多次 大家 如何 如果 存在 \
    对于 尽快 已经 希望 建议 怎么 总是 情况 我们 所以 所有 把握 提出 \
    政府 政协 时候 是否 有关 有些 本人 来说 没有 现在 由于 目前 相关 \
    社区 群众 能否 能够 自己 要求 解决 觉得 请求 谢谢 这个 这些 这样 \
    进行 还是 那个 那些 部门 问题 非常 需要 领导 委员 居民 街道 工作室 \
    处理 办理 一起 一年 几年 多年 去年 明年 每天 经常 严重 政协委员 \
    呼吁 帮忙 带来 很大";

/// Whether a segment is worth weighing: at least two letters or characters, not only digits, not a
/// stop word.
pub fn is_meaningful_term(term: &str) -> bool {
    term.chars().count() >= 2
        && term.chars().all(char::is_alphanumeric)
        && !term.chars().all(|c| c.is_ascii_digit())
        && !STOP_WORDS.split_whitespace().any(|stop| stop == term)
}

/// A group of similar opinions: their ids (ascending) and the words they share, most telling first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub ids: Vec<i64>,
    pub keywords: Vec<String>,
}

/// Groups opinions given as (id, segmented words) into concentrated groups of at least
/// `MIN_CLUSTER_SIZE`, largest first. Read in the order given, an opinion joins the group whose centre
/// (the sum of its members' weighted words) it is most similar to, when the cosine reaches
/// `SIMILARITY`, and starts a group otherwise; a second pass moves each opinion to the centre it is now
/// closest to, so the order matters little. Comparing with a group's centre, not with any one member,
/// keeps a group from drifting through a chain of neighbours (parking → fire lanes → shared bikes).
pub fn clusters(opinions: &[(i64, Vec<String>)]) -> Vec<Cluster> {
    let docs: Vec<HashMap<&str, f64>> = opinions
        .iter()
        .map(|(_, words)| {
            let mut tf: HashMap<&str, f64> = HashMap::new();
            for word in words.iter().filter(|w| is_meaningful_term(w)) {
                *tf.entry(word.as_str()).or_default() += 1.0;
            }
            tf
        })
        .collect();
    let mut df: HashMap<&str, usize> = HashMap::new();
    for doc in &docs {
        for term in doc.keys() {
            *df.entry(term).or_default() += 1;
        }
    }
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let n = docs.len() as f64;
    #[allow(clippy::cast_precision_loss)]
    let idf = |term: &str| ((n + 1.0) / (df[term] as f64 + 1.0)).ln() + 1.0;
    // Words as numbers, and each opinion as a unit vector of (word, weight).
    let mut vocabulary: HashMap<&str, usize> = HashMap::new();
    let vectors: Vec<Vec<(usize, f64)>> = docs
        .iter()
        .map(|doc| {
            let mut weights: Vec<(usize, f64)> = doc
                .iter()
                .map(|(term, tf)| {
                    let next = vocabulary.len();
                    (*vocabulary.entry(term).or_insert(next), tf * idf(term))
                })
                .collect();
            let norm = weights.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            for (_, w) in &mut weights {
                *w /= norm;
            }
            weights
        })
        .collect();
    let mut centres = Centres::new(vocabulary.len());
    let mut first: Vec<Option<usize>> = vec![None; vectors.len()];
    for (i, vector) in vectors.iter().enumerate() {
        if vector.is_empty() {
            continue;
        }
        let c = match centres.closest(vector, None) {
            Some((c, dot, cosine)) if cosine >= SIMILARITY => {
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
    // Second pass: each opinion to the centre now closest, if close enough. An opinion of a group too
    // small to count compares with its own centre as if without it: else one that started a group
    // alone would always stay there (cosine 1) and be lost with it.
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, vector) in vectors.iter().enumerate() {
        let small_own = first[i].filter(|&c| centres.sizes[c] < MIN_CLUSTER_SIZE);
        if let Some((c, _, cosine)) = centres.closest(vector, small_own)
            && cosine >= SIMILARITY
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
            Cluster {
                ids,
                keywords: keywords(&members, &docs, &idf),
            }
        })
        .collect();
    out.sort_by(|a, b| b.ids.len().cmp(&a.ids.len()).then(a.ids.cmp(&b.ids)));
    out
}

/// Group centres as sums of their members' unit vectors, with, for each word, the centres that hold
/// it: an opinion is compared only with centres it shares a word with.
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
    fn new(words: usize) -> Self {
        Self {
            sums: Vec::new(),
            norms_squared: Vec::new(),
            sizes: Vec::new(),
            holding: vec![Vec::new(); words],
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
        for &(word, weight) in vector {
            let sum = self.sums[c].entry(word).or_insert_with(|| {
                self.holding[word].push(c);
                0.0
            });
            *sum += weight;
        }
    }

    /// The most similar centre: (centre, dot product, cosine); ties go to the older centre. The centre
    /// `own` holds `vector` itself and is compared as if without it.
    fn closest(&mut self, vector: &[(usize, f64)], own: Option<usize>) -> Option<(usize, f64, f64)> {
        for &(word, weight) in vector {
            for &c in &self.holding[word] {
                if self.dots[c] == 0.0 {
                    self.touched.push(c);
                }
                self.dots[c] += weight * self.sums[c][&word];
            }
        }
        let mut best: Option<(usize, f64, f64)> = None;
        for c in self.touched.drain(..) {
            let mut dot = self.dots[c];
            let mut norm_squared = self.norms_squared[c];
            self.dots[c] = 0.0;
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

/// The words most of a group's opinions use, rarest across all opinions first.
fn keywords(members: &[usize], docs: &[HashMap<&str, f64>], idf: &impl Fn(&str) -> f64) -> Vec<String> {
    let mut shared: HashMap<&str, usize> = HashMap::new();
    for &i in members {
        for term in docs[i].keys() {
            *shared.entry(term).or_default() += 1;
        }
    }
    // Words at least half the group uses (and at least two opinions): the rest is one resident's.
    let mut ranked: Vec<(&str, usize)> = shared
        .iter()
        .map(|(term, count)| (*term, *count))
        .filter(|(_, count)| *count >= 2 && *count * 2 >= members.len())
        .collect();
    // Used by more of the group first; among equals the rarer word overall, then the longer (停车位
    // before 停车), then by the word itself.
    ranked.sort_by(|(a, ca), (b, cb)| {
        cb.cmp(ca)
            .then(idf(b).total_cmp(&idf(a)))
            .then(b.chars().count().cmp(&a.chars().count()))
            .then(a.cmp(b))
    });
    if ranked.is_empty() {
        // No word half the group shares: the words shared most, so the group still has a name.
        ranked = shared.into_iter().collect();
        ranked.sort_by(|(a, ca), (b, cb)| cb.cmp(ca).then(a.cmp(b)));
    }
    // A longer word that contains a chosen one says the same twice (停车 / 停车位): keep the first.
    let mut chosen: Vec<String> = Vec::new();
    for (term, _) in ranked {
        if chosen.len() == KEYWORDS {
            break;
        }
        if !chosen
            .iter()
            .any(|c| c.contains(term) || term.contains(c.as_str()))
        {
            chosen.push(term.to_owned());
        }
    }
    chosen
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
    let topic = source
        .keywords
        .iter()
        .take(3)
        .cloned()
        .collect::<Vec<_>>()
        .join("、");
    let title = format!("关于群众集中反映{topic}问题的情况和建议");
    let period = if source.first_month == source.last_month {
        source.first_month.to_owned()
    } else {
        format!("{}至{}", source.first_month, source.last_month)
    };
    let rooms = source.rooms.join("、");
    let mut body = format!(
        "一、基本情况\n{period}，{rooms}共收到群众反映{count}件，集中涉及{topic}等问题。群众反映摘录：\n",
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

    fn words(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_owned).collect()
    }

    #[test]
    fn similar_opinions_group_and_a_lone_one_does_not() {
        let opinions = vec![
            (1, words("老旧 小区 停车位 不足 晚上 停车 困难")),
            (2, words("小区 停车 困难 停车位 太少")),
            (3, words("停车位 不足 老旧 小区 乱 停车")),
            (4, words("加装 电梯 审批 流程 太长")),
            (5, words("路灯 坏 了 晚上 出行 不便")),
            (6, words("希望 加装 电梯 简化 审批")),
        ];
        let groups = clusters(&opinions);
        assert_eq!(groups.len(), 1, "{groups:?}");
        assert_eq!(groups[0].ids, vec![1, 2, 3]);
        assert_eq!(groups[0].keywords[0], "停车位");
        assert!(groups[0].keywords.contains(&"小区".to_owned()));
        assert!(
            !groups[0].keywords.contains(&"停车".to_owned()),
            "contained in 停车位: said once"
        );
    }

    #[test]
    fn stop_words_and_digits_do_not_make_opinions_similar() {
        let opinions = vec![
            (1, words("希望 尽快 解决 问题 12 号楼 路灯")),
            (2, words("希望 尽快 解决 问题 12 号楼 噪音")),
            (3, words("希望 尽快 解决 问题 12 号楼 漏水")),
        ];
        // Only 号楼 is shared and meaningful: not enough to call it one concern.
        assert_eq!(clusters(&opinions), vec![]);
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
        assert!(cosine > SIMILARITY && cosine < 1.0);
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(clusters(&[]).is_empty());
        assert!(clusters(&[(1, vec![]), (2, vec![]), (3, vec![])]).is_empty());
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
            keywords: &keywords,
            count: 4,
            rooms: &rooms,
            first_month: "2026年3月",
            last_month: "2026年10月",
            excerpts: &excerpts,
        });
        assert_eq!(title, "关于群众集中反映停车位、小区问题的情况和建议");
        assert!(body.starts_with(
            "一、基本情况\n2026年3月至2026年10月，洪桥街政协委员工作室、北京街政协委员工作室共收到群众反映4件"
        ));
        assert!(body.contains("1. 小区停车位太少。"));
        assert!(body.contains("三、意见建议"));
    }
}
