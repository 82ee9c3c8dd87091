//! Reading and checking the audit trail (审计日志): the city general office only.

use domain::authz::{Action, Place};
use store::audit::{AuditEntry, AuditQuery, ChainReport};

use crate::access::Acting;
use crate::{App, AppError};

impl App {
    pub async fn audit_entries(
        &self,
        acting: &Acting,
        query: &AuditQuery,
    ) -> Result<Vec<AuditEntry>, AppError> {
        acting.require(Action::ViewAudit, &Place::default())?;
        Ok(self.store().audit_entries(query).await?)
    }

    /// Recomputes every entry's hash and link.
    pub async fn verify_audit(&self, acting: &Acting) -> Result<ChainReport, AppError> {
        acting.require(Action::ViewAudit, &Place::default())?;
        Ok(self.store().verify_audit_chain().await?)
    }
}
