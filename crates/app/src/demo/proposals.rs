//! The demo's proposals and 社情民意信息 (R13.4): the 社情民意信息 `demo-member` drafted on a parking case
//! submitted and adopted, so its tracking page shows the whole way; and a draft from the room's group
//! of parking opinions, waiting on the member to submit it.

use chrono::{Days, Utc};
use domain::proposal::ProposalKind;

use crate::proposals::ProposalInput;
use crate::{App, AppError};

impl App {
    pub(super) async fn demo_proposals(&self) -> Result<(), AppError> {
        let member = self.demo_account("demo-member").await?;
        let district = self.demo_account("demo-district").await?;
        let at = |days_ago: u64| {
            self.clock()
                .now()
                .checked_sub_days(Days::new(days_ago))
                .unwrap_or_else(Utc::now)
        };
        // The draft the case step wrote (data/demo/cases.json).
        let drafted = self
            .proposals(&member)
            .await?
            .into_iter()
            .find(|p| p.record.kind == ProposalKind::SocialReport)
            .ok_or_else(|| AppError::Internal("the demo's draft_social_report step kept no draft".into()))?;
        let id = drafted.record.id;
        self.as_of(at(4))
            .proposal_step(
                &member,
                id,
                &ProposalInput {
                    action: "submit".into(),
                    number: Some("越政协社〔2026〕45号".into()),
                    ..ProposalInput::default()
                },
            )
            .await?;
        self.as_of(at(1))
            .proposal_step(
                &district,
                id,
                &ProposalInput {
                    action: "accept".into(),
                    ..ProposalInput::default()
                },
            )
            .await?;

        // A draft from the room's group of parking opinions.
        let year = chrono::Datelike::year(&self.clock().today());
        let groups = self.concentrated_opinions(&member, year).await?;
        let Some(group) = groups
            .iter()
            .find(|g| g.matter == "停车")
            .or_else(|| groups.first())
        else {
            return Ok(());
        };
        self.draft_proposal(
            &member,
            ProposalKind::Proposal.as_str(),
            &format!("关于解决群众集中反映的{}问题的提案", group.matter),
            &group.draft_text,
            &group.opinion_ids,
        )
        .await?;
        Ok(())
    }
}
