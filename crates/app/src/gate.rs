//! Costly work that runs on blocking threads — password hashing (Argon2) and photo decoding — goes
//! through a gate: at most one piece per core at once in this process, the rest waiting in line for a
//! while, then answered 503 with Retry-After. Without the bound, 300 parallel sign-ins took the server
//! to 5.7 GB, and each photo decode may take up to 256 MiB.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::AppError;

/// How long a sign-in waits in line for a hashing slot before it is answered 503.
const HASHING_WAIT: Duration = Duration::from_secs(5);
/// How long an upload waits for a decoding slot (it has already been received).
const PHOTO_WAIT: Duration = Duration::from_secs(15);

pub(crate) struct WorkGate {
    permits: Arc<Semaphore>,
    wait: Duration,
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

impl WorkGate {
    pub(crate) fn new(permits: usize, wait: Duration) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(permits.max(1))),
            wait,
        }
    }

    /// The gate of password hashing: one Argon2 computation per core (each takes 19 MiB and a core
    /// for tens of milliseconds).
    pub(crate) fn hashing() -> &'static Self {
        static GATE: OnceLock<WorkGate> = OnceLock::new();
        GATE.get_or_init(|| Self::new(cores(), HASHING_WAIT))
    }

    /// The gate of photo decoding and re-encoding (members', activities' and rectifications' photos).
    pub(crate) fn photos() -> &'static Self {
        static GATE: OnceLock<WorkGate> = OnceLock::new();
        GATE.get_or_init(|| Self::new(cores(), PHOTO_WAIT))
    }

    /// Runs `work` on a blocking thread once a slot is free. The slot stays taken until the work ends,
    /// even when the request that asked for it has gone.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let permit = tokio::time::timeout(self.wait, self.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Busy {
                retry_after_secs: self.wait.as_secs().max(1),
            })?
            .map_err(|err| AppError::Internal(format!("work gate closed: {err}")))?;
        tokio::task::spawn_blocking(move || {
            let _slot = permit;
            work()
        })
        .await
        .map_err(|err| AppError::Internal(format!("blocking task failed: {err}")))
    }
}

/// Decodes, scales and re-encodes an upload through the photo gate; a file that is not a usable
/// photo is a 422 on `photo`.
pub(crate) async fn normalised_photo(
    bytes: Vec<u8>,
    normalise: fn(&[u8]) -> Result<documents::photo::StoredPhoto, documents::photo::PhotoError>,
) -> Result<documents::photo::StoredPhoto, AppError> {
    WorkGate::photos()
        .run(move || normalise(&bytes))
        .await?
        .map_err(|err| AppError::invalid("photo", err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn work_runs_at_most_the_gates_slots_at_once_and_a_full_queue_answers_busy() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let gate = Arc::new(WorkGate::new(2, Duration::from_secs(10)));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..12)
            .map(|_| {
                let (gate, running, most) = (gate.clone(), running.clone(), most.clone());
                tokio::spawn(async move {
                    gate.run(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2, "never more than the slots");

        let narrow = Arc::new(WorkGate::new(1, Duration::from_millis(50)));
        let holder = {
            let narrow = narrow.clone();
            tokio::spawn(async move {
                narrow
                    .run(|| std::thread::sleep(Duration::from_millis(400)))
                    .await
            })
        };
        tokio::time::sleep(Duration::from_millis(50)).await;
        let refused = narrow.run(|| ()).await;
        assert!(
            matches!(refused, Err(AppError::Busy { retry_after_secs }) if retry_after_secs >= 1),
            "{refused:?}"
        );
        holder.await.unwrap().unwrap();
    }
}
