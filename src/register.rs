//! The register of cases (zaakregister): every case BZK advises on, with its number, dates
//! (received, advised, decided), status (ontvangen, in behandeling, advies uitgebracht, besluit
//! genomen), the responsible minister's decision and whether it followed the advice (with the
//! motivation when it did not), and every advice given for it, stored with its input digest,
//! engine version, rules digest and output so that it can be re-run and checked.
//!
//! One SQLite file (WAL journal); the schema is migrated in order from `migrations/*.sql`, its
//! version kept in SQLite's `user_version`.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use crate::model::Case;

/// The schema migrations, in order; the register's `user_version` is the number applied.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_register.sql"),
    include_str!("../migrations/0002_deliveries.sql"),
];

/// The statuses of a case, in the order a case passes them.
pub const STATUSES: [&str; 4] = [
    "ontvangen",
    "in behandeling",
    "advies uitgebracht",
    "besluit genomen",
];

/// What can go wrong with the register.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("the register {path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("cannot create the folder of the register {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "the register {path} has schema version {found}, newer than this program knows ({known})"
    )]
    Newer {
        path: String,
        found: i64,
        known: usize,
    },
    #[error("there is no register at {0}; `case add` or `ingest --store` creates one")]
    Missing(String),
    #[error("case number `{0}` is already registered")]
    Duplicate(String),
    #[error("no case with number `{0}` in the register")]
    NotFound(String),
    #[error("case `{number}` has no advice yet: {what}")]
    NoAdvice { number: String, what: &'static str },
    #[error("the advice was not followed, so a motivation is required (--motivation)")]
    MotivationMissing,
    #[error("`{0}` is not a date; expected YYYY-MM-DD, for example 2026-03-01")]
    InvalidDate(String),
    #[error("the date {date} lies before the case was received ({received})")]
    DateBeforeReceived { date: String, received: String },
}

/// A registered case as listed.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct CaseRecord {
    pub number: String,
    pub id: String,
    pub title: String,
    pub ministry: String,
    pub kind: String,
    pub fte: f64,
    pub received: String,
    pub advised: Option<String>,
    pub decided: Option<String>,
    pub status: String,
    pub decision: Option<String>,
    pub followed: Option<bool>,
    pub motivation: Option<String>,
}

/// An advice given for a case, as stored.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AdviceRecord {
    pub seq: i64,
    pub given: String,
    pub input_digest: String,
    pub engine_version: String,
    pub rules_digest: String,
    /// The advice as `advise --format json` printed it.
    pub output_json: String,
}

/// A ministry's stored delivery for a year.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct DeliveryRecord {
    pub year: i32,
    pub ministry: String,
    pub stored: String,
    pub files: String,
    pub rows: i64,
    pub fte: f64,
}

/// A date as the register writes it, checked.
pub fn parse_date(s: &str) -> Result<Date, RegisterError> {
    s.parse::<Date>()
        .ok()
        .filter(|d| d.to_string() == s)
        .ok_or_else(|| RegisterError::InvalidDate(s.to_string()))
}

/// Today's date (UTC), the default date of an advice.
pub fn today() -> Date {
    let days = jiff::Timestamp::now().as_second().div_euclid(86_400);
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(days))
        .unwrap_or(jiff::civil::date(1970, 1, 1))
}

/// The register's default file: `locatieadvies/register.sqlite` in the user's data directory
/// (`$XDG_DATA_HOME`, else `~/.local/share`), or the working directory when neither is known.
pub fn default_path() -> PathBuf {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
    match base {
        Some(b) => b.join("locatieadvies").join("register.sqlite"),
        None => PathBuf::from("register.sqlite"),
    }
}

/// An open register.
pub struct Register {
    conn: Connection,
    path: String,
}

impl Register {
    /// Opens the register at `path` for reading: a path without a register is an error rather
    /// than a new empty register (a mistyped `--db` would otherwise read as "no cases").
    pub fn open_existing(path: &Path) -> Result<Register, RegisterError> {
        if !path.is_file() {
            return Err(RegisterError::Missing(path.display().to_string()));
        }
        Register::open(path)
    }

    /// Opens (or creates) the register at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Register, RegisterError> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| RegisterError::Folder {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let sql = |source| RegisterError::Sqlite {
            path: shown.clone(),
            source,
        };
        let conn = Connection::open(path).map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql)?;
        let mut register = Register { conn, path: shown };
        register.migrate()?;
        Ok(register)
    }

    fn sql(&self, source: rusqlite::Error) -> RegisterError {
        RegisterError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Applies the migrations the register lacks, each in its own transaction.
    fn migrate(&mut self) -> Result<(), RegisterError> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(|e| self.sql(e))?;
        if version as usize > MIGRATIONS.len() {
            return Err(RegisterError::Newer {
                path: self.path.clone(),
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        for (k, m) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction().map_err(|e| RegisterError::Sqlite {
                path: self.path.clone(),
                source: e,
            })?;
            let step = tx
                .execute_batch(m)
                .and_then(|_| tx.pragma_update(None, "user_version", (k + 1) as i64))
                .and_then(|_| tx.commit());
            step.map_err(|e| self.sql(e))?;
        }
        Ok(())
    }

    /// Registers `case` (its file text `toml`) under `number`, received on `received`.
    pub fn add(
        &mut self,
        number: &str,
        case: &Case,
        toml: &str,
        received: Date,
    ) -> Result<(), RegisterError> {
        if self.find(number)?.is_some() {
            return Err(RegisterError::Duplicate(number.to_string()));
        }
        self.conn
            .execute(
                "INSERT INTO cases (number, id, title, ministry, kind, fte, received, status, case_toml)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    number,
                    case.id,
                    case.title,
                    case.ministry,
                    case.kind.as_str(),
                    case.fte,
                    received.to_string(),
                    STATUSES[0],
                    toml
                ],
            )
            .map_err(|e| self.sql(e))?;
        Ok(())
    }

    /// The cases, by received date and number; with `year`, those received in that year.
    pub fn list(&self, year: Option<i16>) -> Result<Vec<CaseRecord>, RegisterError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {CASE_COLUMNS} FROM cases
                 WHERE ?1 IS NULL OR substr(received, 1, 4) = ?1
                 ORDER BY received, number"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(params![year.map(|y| format!("{y:04}"))], case_record)
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.sql(e))
    }

    /// One case, or `None`.
    pub fn find(&self, number: &str) -> Result<Option<CaseRecord>, RegisterError> {
        self.conn
            .query_row(
                &format!("SELECT {CASE_COLUMNS} FROM cases WHERE number = ?1"),
                params![number],
                case_record,
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// One case, or [`RegisterError::NotFound`].
    pub fn get(&self, number: &str) -> Result<CaseRecord, RegisterError> {
        self.find(number)?
            .ok_or_else(|| RegisterError::NotFound(number.to_string()))
    }

    /// The case file of a registered case, as registered.
    pub fn case_toml(&self, number: &str) -> Result<String, RegisterError> {
        self.get(number)?;
        self.conn
            .query_row(
                "SELECT case_toml FROM cases WHERE number = ?1",
                params![number],
                |r| r.get(0),
            )
            .map_err(|e| self.sql(e))
    }

    /// Every advice given for a case, oldest first.
    pub fn advices(&self, number: &str) -> Result<Vec<AdviceRecord>, RegisterError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT seq, given, input_digest, engine_version, rules_digest, output_json
                 FROM advices WHERE case_number = ?1 ORDER BY seq",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(params![number], |r| {
                Ok(AdviceRecord {
                    seq: r.get(0)?,
                    given: r.get(1)?,
                    input_digest: r.get(2)?,
                    engine_version: r.get(3)?,
                    rules_digest: r.get(4)?,
                    output_json: r.get(5)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.sql(e))
    }

    /// Stores an advice given on `given`; the case becomes `advies uitgebracht` unless a
    /// decision was taken already. Returns the advice's sequence number.
    pub fn record_advice(
        &mut self,
        number: &str,
        given: Date,
        advice: &AdviceRecord,
    ) -> Result<i64, RegisterError> {
        let case = self.get(number)?;
        check_not_before(&case, given)?;
        let path = self.path.clone();
        let sql = |source| RegisterError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO advices (case_number, given, input_digest, engine_version, rules_digest, output_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                number,
                given.to_string(),
                advice.input_digest,
                advice.engine_version,
                advice.rules_digest,
                advice.output_json
            ],
        )
        .map_err(sql)?;
        let seq = tx.last_insert_rowid();
        tx.execute(
            "UPDATE cases SET advised = ?2,
                 status = CASE WHEN status = ?3 THEN status ELSE ?4 END
             WHERE number = ?1",
            params![number, given.to_string(), STATUSES[3], STATUSES[2]],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
        Ok(seq)
    }

    /// Marks a received case as taken up: `ontvangen` becomes `in behandeling`; a case further
    /// along keeps its status.
    pub fn start(&mut self, number: &str) -> Result<String, RegisterError> {
        self.get(number)?;
        self.conn
            .execute(
                "UPDATE cases SET status = ?2 WHERE number = ?1 AND status = ?3",
                params![number, STATUSES[1], STATUSES[0]],
            )
            .map_err(|e| self.sql(e))?;
        Ok(self.get(number)?.status)
    }

    /// Records the responsible minister's decision: the case becomes `besluit genomen`.
    pub fn decide(
        &mut self,
        number: &str,
        date: Date,
        decision: &str,
        followed: bool,
        motivation: Option<&str>,
    ) -> Result<(), RegisterError> {
        let case = self.get(number)?;
        if case.advised.is_none() {
            return Err(RegisterError::NoAdvice {
                number: number.to_string(),
                what: "a decision follows an advice (case advise)",
            });
        }
        if !followed && motivation.is_none_or(|m| m.trim().is_empty()) {
            return Err(RegisterError::MotivationMissing);
        }
        check_not_before(&case, date)?;
        self.conn
            .execute(
                "UPDATE cases SET decided = ?2, decision = ?3, followed = ?4, motivation = ?5,
                     status = ?6
                 WHERE number = ?1",
                params![
                    number,
                    date.to_string(),
                    decision,
                    followed,
                    motivation,
                    STATUSES[3]
                ],
            )
            .map_err(|e| self.sql(e))?;
        Ok(())
    }
}

impl Register {
    /// Stores a validated delivery of year `year`: per ministry in `rows`, its rows replace any
    /// earlier delivery of that ministry and year. Returns the ministries stored.
    pub fn store_delivery(
        &mut self,
        year: i32,
        rows: &[crate::spreading::baseline::Row],
        files: &str,
        stored: Date,
    ) -> Result<Vec<String>, RegisterError> {
        let mut ministries: Vec<String> = rows.iter().map(|r| r.ministry.clone()).collect();
        ministries.sort();
        ministries.dedup();
        let path = self.path.clone();
        let sql = |source| RegisterError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        for m in &ministries {
            let mine: Vec<_> = rows.iter().filter(|r| &r.ministry == m).collect();
            let fte: f64 = mine.iter().map(|r| r.fte).sum();
            tx.execute(
                "DELETE FROM deliveries WHERE year = ?1 AND ministry = ?2",
                params![year, m],
            )
            .map_err(sql)?;
            tx.execute(
                "INSERT INTO deliveries (year, ministry, stored, files, rows, fte)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![year, m, stored.to_string(), files, mine.len() as i64, fte],
            )
            .map_err(sql)?;
            let mut insert = tx
                .prepare(
                    "INSERT INTO delivery_rows (year, ministry, unit, sector, gemeente, fte)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(sql)?;
            for r in mine {
                insert
                    .execute(params![year, m, r.unit, r.sector, r.gemeente, r.fte])
                    .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)?;
        Ok(ministries)
    }

    /// The deliveries stored for `year`, by ministry.
    pub fn deliveries(&self, year: i32) -> Result<Vec<DeliveryRecord>, RegisterError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT year, ministry, stored, files, rows, fte FROM deliveries
                 WHERE year = ?1 ORDER BY ministry",
            )
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map(params![year], |r| {
                Ok(DeliveryRecord {
                    year: r.get(0)?,
                    ministry: r.get(1)?,
                    stored: r.get(2)?,
                    files: r.get(3)?,
                    rows: r.get(4)?,
                    fte: r.get(5)?,
                })
            })
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.sql(e))
    }
}

/// A date of a case must not lie before the case was received.
fn check_not_before(case: &CaseRecord, date: Date) -> Result<(), RegisterError> {
    let d = date.to_string();
    if d < case.received {
        return Err(RegisterError::DateBeforeReceived {
            date: d,
            received: case.received.clone(),
        });
    }
    Ok(())
}

const CASE_COLUMNS: &str = "number, id, title, ministry, kind, fte, received, advised, decided, \
                            status, decision, followed, motivation";

fn case_record(r: &rusqlite::Row) -> rusqlite::Result<CaseRecord> {
    Ok(CaseRecord {
        number: r.get(0)?,
        id: r.get(1)?,
        title: r.get(2)?,
        ministry: r.get(3)?,
        kind: r.get(4)?,
        fte: r.get(5)?,
        received: r.get(6)?,
        advised: r.get(7)?,
        decided: r.get(8)?,
        status: r.get(9)?,
        decision: r.get(10)?,
        followed: r.get(11)?,
        motivation: r.get(12)?,
    })
}

/// The advice on a registered case's file text now, with the engine's profiles and rules and the
/// default run options (the same as `advise`), as it would be stored; and whether it is complete.
/// The case's problems when it no longer validates.
pub fn advise_case(
    engine: &crate::advice::Engine,
    number: &str,
    text: String,
) -> Result<(AdviceRecord, bool), crate::diag::Diagnostics> {
    let mut diags = crate::diag::Diagnostics::default();
    let source = crate::config::SourceFile {
        key: format!("case {number}"),
        display: format!("<register>/case {number}"),
        text,
    };
    let case = crate::config::check_case(&source, &engine.world, &mut diags);
    let Some(case) = case.filter(|_| diags.is_empty()) else {
        return Err(diags);
    };
    let advice = engine.advise(&case, &crate::advice::RunOptions::default());
    let record = AdviceRecord {
        seq: 0,
        given: String::new(),
        input_digest: advice.input_digest.clone(),
        engine_version: advice.engine_version.clone(),
        rules_digest: engine.world.digest.clone(),
        output_json: crate::advice::model::json(&advice),
    };
    Ok((record, advice.complete))
}
