//! The demo data set (`--demo`, `workroom demo`): loaded only into a database that holds no user data.

use crate::{App, AppError};
use store::settings::DEMO_LOADED_AT;

/// What loading the demo did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DemoOutcome {
    Loaded,
    /// The database already holds data of its own; nothing was changed.
    LeftAlone,
}

impl App {
    /// Loads the demo set when the database holds no user data yet. The organisation tree itself comes
    /// with the migrations; the demo set adds to it whatever the features built so far can show.
    pub async fn load_demo(&self) -> Result<DemoOutcome, AppError> {
        if !self.store().holds_no_user_data().await? {
            return Ok(DemoOutcome::LeftAlone);
        }
        self.store()
            .put_setting(DEMO_LOADED_AT, &self.clock().now().to_rfc3339())
            .await?;
        Ok(DemoOutcome::Loaded)
    }
}
