//! Concentrated opinions (集中反映的意见, X6) for members and staff: the year's opinions in the caller's
//! rooms, segmented into words (jieba), grouped by `domain::insights`, each group with a draft
//! social-conditions report (社情民意信息) to start from.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, TimeZone};
use domain::authz::Scope;
use domain::insights::{
    DraftSource, Grouping, bcubed, clusters_with, draft_social_report, features, redact_contact,
};
use jieba_rs::Jieba;
use store::opinions::OpinionText;

use crate::access::Acting;
use crate::{App, AppError};

/// The segmenter with its dictionary, loaded once (a fraction of a second) on first use.
static SEGMENTER: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// How many opinions a group quotes in its draft.
const EXCERPTS: usize = 3;
/// How much of each quoted opinion.
const EXCERPT_CHARS: usize = 80;

/// One group of similar opinions, as the insights page and `GET /api/v1/insights/clusters` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcentratedOpinions {
    pub opinion_ids: Vec<i64>,
    /// The matter in words a member would write (加装电梯).
    pub matter: String,
    pub keywords: Vec<String>,
    /// The rooms that heard them, by name.
    pub rooms: Vec<String>,
    pub first_received: NaiveDate,
    pub last_received: NaiveDate,
    /// A few of them in the residents' words, numbers and the resident's name taken out.
    pub excerpts: Vec<String>,
    pub draft_title: String,
    pub draft_text: String,
}

/// Segments one opinion into words, search mode (停车位 also gives 停车 and 车位).
fn words(text: &str) -> Vec<String> {
    SEGMENTER
        .cut_for_search(text, true)
        .into_iter()
        .map(|token| token.word.to_owned())
        .collect()
}

fn excerpt(content: &str) -> String {
    let flat: String = content.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() > EXCERPT_CHARS {
        format!("{}…", flat.chars().take(EXCERPT_CHARS).collect::<String>())
    } else {
        flat
    }
}

fn month_label(day: NaiveDate) -> String {
    format!("{}年{}月", day.year(), day.month())
}

/// Groups `texts` (in the order received; `clusters` gives ids ascending) and writes each group's draft; `room_names` by room id.
pub fn group_opinions(texts: &[OpinionText], room_names: &HashMap<i64, String>) -> Vec<ConcentratedOpinions> {
    group_opinions_with(&Grouping::CHOSEN, texts, room_names)
}

/// `group_opinions` with another way of grouping, to measure it against the chosen one.
pub fn group_opinions_with(
    grouping: &Grouping,
    texts: &[OpinionText],
    room_names: &HashMap<i64, String>,
) -> Vec<ConcentratedOpinions> {
    let segmented: Vec<(i64, Vec<domain::insights::Feature>)> = texts
        .iter()
        .map(|t| (t.id, features(&t.content, &words(&t.content))))
        .collect();
    clusters_with(grouping, &segmented)
        .into_iter()
        .map(|cluster| {
            // In the order received, so the excerpts run from the earliest.
            let members: Vec<&OpinionText> = texts
                .iter()
                .filter(|t| cluster.ids.binary_search(&t.id).is_ok())
                .collect();
            let days: Vec<NaiveDate> = members
                .iter()
                .map(|t| t.received_at.with_timezone(&crate::clock::beijing()).date_naive())
                .collect();
            let first = days.iter().min().copied().unwrap_or_default();
            let last = days.iter().max().copied().unwrap_or_default();
            let rooms: Vec<String> = members
                .iter()
                .map(|t| room_names.get(&t.room_id).cloned().unwrap_or_default())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            let excerpts: Vec<String> = members
                .iter()
                .take(EXCERPTS)
                .map(|t| excerpt(&redact_contact(&t.content, Some(t.contact_name.expose()))))
                .collect();
            let (first_month, last_month) = (month_label(first), month_label(last));
            let (draft_title, draft_text) = draft_social_report(&DraftSource {
                matter: &cluster.matter,
                keywords: &cluster.keywords,
                count: cluster.ids.len(),
                rooms: &rooms,
                first_month: &first_month,
                last_month: &last_month,
                excerpts: &excerpts,
            });
            ConcentratedOpinions {
                opinion_ids: cluster.ids,
                matter: cluster.matter,
                keywords: cluster.keywords,
                rooms,
                first_received: first,
                last_received: last,
                excerpts,
                draft_title,
                draft_text,
            }
        })
        .collect()
}

/// A set of opinions a person has grouped (`{"opinions": [{"matter", "room", "month", "text"}]}`, a
/// `null` matter for one that stands alone), as the evaluation in tests and bench/ reads it.
#[derive(Debug, serde::Deserialize)]
pub struct LabelledSet {
    pub opinions: Vec<LabelledOpinion>,
}

#[derive(Debug, serde::Deserialize)]
pub struct LabelledOpinion {
    pub matter: Option<String>,
    pub room: i64,
    pub month: u32,
    pub text: String,
}

/// How a grouping did on a labelled set.
#[derive(Debug)]
pub struct Evaluation {
    pub opinions: usize,
    pub matters: usize,
    /// The groups found, and the person's matter (`None`: alone) of each opinion by id.
    pub groups: Vec<ConcentratedOpinions>,
    pub matter_of: HashMap<i64, Option<String>>,
    /// B-cubed precision and recall.
    pub precision: f64,
    pub recall: f64,
}

impl LabelledSet {
    /// Groups the set as the store would give it (ids in the order received, each on its month's
    /// 10th) and scores the groups against the person's.
    pub fn evaluate(self, grouping: &Grouping) -> Evaluation {
        let mut rows: Vec<(usize, LabelledOpinion)> = self.opinions.into_iter().enumerate().collect();
        rows.sort_by_key(|(i, o)| (o.month, *i));
        let mut matter_of = HashMap::new();
        let texts: Vec<OpinionText> = rows
            .into_iter()
            .enumerate()
            .map(|(n, (_, o))| {
                let id = i64::try_from(n).unwrap_or(i64::MAX) + 1;
                matter_of.insert(id, o.matter);
                OpinionText {
                    id,
                    room_id: o.room,
                    content: o.text,
                    contact_name: "（已匿名）".to_owned().into(),
                    received_at: chrono::Utc
                        .with_ymd_and_hms(2026, o.month.clamp(1, 12), 10, 2, 0, 0)
                        .single()
                        .unwrap_or_default(),
                }
            })
            .collect();
        let rooms: HashMap<i64, String> = texts
            .iter()
            .map(|t| (t.room_id, format!("工作室{}", t.room_id)))
            .collect();
        let groups = group_opinions_with(grouping, &texts, &rooms);
        let found: Vec<Vec<i64>> = groups.iter().map(|g| g.opinion_ids.clone()).collect();
        let truth: Vec<(i64, Option<&str>)> = texts
            .iter()
            .map(|t| (t.id, matter_of[&t.id].as_deref()))
            .collect();
        let (precision, recall) = bcubed(&found, &truth);
        let matters = matter_of.values().flatten().collect::<BTreeSet<_>>().len();
        Evaluation {
            opinions: texts.len(),
            matters,
            groups,
            matter_of,
            precision,
            recall,
        }
    }
}

fn refuse_departments(scope: &Scope) -> Result<(), AppError> {
    if matches!(scope, Scope::Department { .. }) {
        Err(AppError::Forbidden(
            "集中意见分析面向委员和政协工作人员，部门请在“群众意见”中办理交办的案件".into(),
        ))
    } else {
        Ok(())
    }
}

impl App {
    /// Whether the caller reads the concentrated opinions: everyone but departments, who work
    /// through the cases they are given.
    pub fn sees_insights(acting: &Acting) -> bool {
        refuse_departments(&acting.scope()).is_ok()
    }

    /// The concentrated opinions of `year` in the caller's rooms: staff by their scope, a member in the
    /// rooms they serve. Departments are refused: they handle single cases, not the room's agenda.
    pub async fn concentrated_opinions(
        &self,
        acting: &Acting,
        year: i32,
    ) -> Result<Vec<ConcentratedOpinions>, AppError> {
        let scope = acting.scope();
        refuse_departments(&scope)?;
        domain::calendar::Year::of_records(year, self.clock().today())?;
        self.concentrated_in(&scope, year).await
    }

    /// The concentrated opinions of `year` in the rooms of `scope` (the annual summary counts them).
    pub(crate) async fn concentrated_in(
        &self,
        scope: &Scope,
        year: i32,
    ) -> Result<Vec<ConcentratedOpinions>, AppError> {
        let scope = *scope;
        let rooms = self.store().rooms_in_scope(&scope).await?;
        let room_names: HashMap<i64, String> = rooms.iter().map(|r| (r.id, r.name.clone())).collect();
        let room_ids: Vec<i64> = rooms.iter().map(|r| r.id).collect();
        let beijing = crate::clock::beijing();
        let start = |y: i32| {
            beijing
                .with_ymd_and_hms(y, 1, 1, 0, 0, 0)
                .single()
                .map(|t| t.to_utc())
                .ok_or_else(|| AppError::invalid("year", "年份无效"))
        };
        let texts = self
            .store()
            .opinion_texts(
                (scope != Scope::City).then_some(room_ids.as_slice()),
                start(year)?,
                start(year + 1)?,
            )
            .await?;
        tokio::task::spawn_blocking(move || group_opinions(&texts, &room_names))
            .await
            .map_err(|err| AppError::Internal(format!("clustering task failed: {err}")))
    }

    /// A draft (edited by the member or not) as a Word document in official-document layout.
    pub fn social_report_docx(acting: &Acting, title: &str, text: &str) -> Result<Vec<u8>, AppError> {
        refuse_departments(&acting.scope())?;
        let title = domain::text::single_line(title, 200)
            .map_err(|err| AppError::invalid("title", format!("标题{err}")))?;
        let text = domain::text::paragraphs(text, 5000)
            .map_err(|err| AppError::invalid("text", format!("正文{err}")))?;
        documents::docx::official_document(&title, &text)
            .map_err(|err| AppError::Internal(format!("docx: {err}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn text(id: i64, room_id: i64, month: u32, content: &str) -> OpinionText {
        OpinionText {
            id,
            room_id,
            content: content.to_owned(),
            contact_name: "周文".to_owned().into(),
            received_at: Utc.with_ymd_and_hms(2026, month, 10, 2, 0, 0).unwrap(),
        }
    }

    #[test]
    fn the_same_concern_in_other_words_is_found_across_rooms_and_months() {
        let texts = vec![
            text(
                1,
                1,
                3,
                "我们小区是老旧小区，停车位严重不足，晚上回家找不到地方停车。",
            ),
            text(2, 1, 4, "三眼井社区北门的人行道地砖松动，下雨天容易摔倒。"),
            text(3, 2, 6, "老旧小区停车难，希望挖潜增加停车位。"),
            text(4, 2, 7, "希望加装电梯的审批流程能够简化。"),
            text(5, 1, 9, "小区停车位太少，车辆乱停堵塞消防通道。"),
            text(6, 2, 10, "社区长者饭堂的菜品能否多一些选择。"),
        ];
        let names = HashMap::from([(1, "洪桥".to_owned()), (2, "北京街".to_owned())]);
        let groups = group_opinions(&texts, &names);
        assert_eq!(groups.len(), 1, "{groups:#?}");
        let parking = &groups[0];
        assert_eq!(parking.opinion_ids, vec![1, 3, 5]);
        assert!(
            !parking.keywords.iter().any(|k| k == "停车"),
            "the matter heads the group, not its keywords: {:?}",
            parking.keywords
        );
        assert_eq!(parking.rooms, ["北京街", "洪桥"]);
        assert_eq!(
            (parking.first_received.month(), parking.last_received.month()),
            (3, 9)
        );
        assert!(
            parking
                .draft_text
                .contains("2026年3月至2026年9月，北京街、洪桥共收到群众反映停车问题3件")
        );
        assert_eq!(parking.matter, "停车");
        assert_eq!(parking.draft_title, "关于群众集中反映停车问题的情况和建议");
    }
}
