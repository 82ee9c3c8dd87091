//! How well concentrated opinions (X6) are found on opinions written as residents write them: two
//! labelled sets in tests/data (a main set the grouping was chosen on, and a held-out set written
//! apart and never tuned on), scored with B-cubed precision and recall.

use std::collections::HashMap;

use app::insights::{Evaluation, LabelledSet};
use domain::insights::Grouping;

/// Groups the set (in the order received, or latest first), prints the figures and what each group
/// holds, and answers the evaluation.
fn evaluate(name: &str, json: &str, latest_first: bool) -> Evaluation {
    let mut set: LabelledSet = serde_json::from_str(json).expect("the labelled set parses");
    if latest_first {
        set.opinions.reverse();
        for o in &mut set.opinions {
            o.month = 13 - o.month;
        }
    }
    let e = set.evaluate(&Grouping::CHOSEN);
    println!(
        "{name}: {} opinions, {} matters; {} groups; B-cubed precision {:.3}, recall {:.3}",
        e.opinions,
        e.matters,
        e.groups.len(),
        e.precision,
        e.recall
    );
    for g in &e.groups {
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for id in &g.opinion_ids {
            *counts
                .entry(e.matter_of[id].as_deref().unwrap_or("（单独）"))
                .or_default() += 1;
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        println!(
            "  {} ({}) {:?} ← {counts:?}",
            g.matter,
            g.opinion_ids.len(),
            g.keywords
        );
    }
    e
}

const MAIN: &str = include_str!("data/concentrated_opinions.json");
const HELD_OUT: &str = include_str!("data/concentrated_opinions_holdout.json");

#[test]
fn the_main_set_is_grouped_as_a_person_would() {
    let e = evaluate("main", MAIN, false);
    assert!(e.opinions >= 300 && e.matters >= 15, "the set is large enough");
    let alone = e.matter_of.values().filter(|m| m.is_none()).count();
    assert!(alone >= 50, "{alone} opinions stand alone");
    assert!(e.precision >= 0.8, "precision {:.3}", e.precision);
    assert!(e.recall >= 0.8, "recall {:.3}", e.recall);
    // Each big matter is one group, named as a member would name it.
    for matter in ["加装电梯", "垃圾分类和清运", "停车"] {
        assert_eq!(
            e.groups.iter().filter(|g| g.matter == matter).count(),
            1,
            "{matter}"
        );
    }
    let lifts = e.groups.iter().find(|g| g.matter == "加装电梯").unwrap();
    assert_eq!(lifts.draft_title, "关于群众集中反映加装电梯问题的情况和建议");
}

#[test]
fn the_order_opinions_arrive_in_matters_little() {
    let e = evaluate("main, latest first", MAIN, true);
    assert!(e.precision >= 0.8, "precision {:.3}", e.precision);
    assert!(e.recall >= 0.8, "recall {:.3}", e.recall);
}

/// Written apart and never chosen on: the figure of what the grouping does on opinions it has not
/// seen. Its floor is lower, and guards against a change that only fits the main set.
#[test]
fn the_held_out_set_is_grouped_nearly_as_well() {
    let e = evaluate("held out", HELD_OUT, false);
    assert!(e.precision >= 0.8, "precision {:.3}", e.precision);
    assert!(e.recall >= 0.7, "recall {:.3}", e.recall);
}
