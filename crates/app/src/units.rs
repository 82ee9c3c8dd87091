//! Departments and work rooms as lists in the caller's scope.

use store::units::{Department, Room};

use crate::access::Acting;
use crate::{App, AppError};

impl App {
    /// Departments the caller deals with (scope-filtered in the store).
    pub async fn departments(&self, acting: &Acting) -> Result<Vec<Department>, AppError> {
        Ok(self.store().departments_in_scope(&acting.scope()).await?)
    }

    /// Work rooms in the caller's scope (scope-filtered in the store).
    pub async fn rooms(&self, acting: &Acting) -> Result<Vec<Room>, AppError> {
        Ok(self.store().rooms_in_scope(&acting.scope()).await?)
    }
}
