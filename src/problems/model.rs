//! A common problem and what may be done with it.

use serde::{Deserialize, Serialize};

use crate::db::Timestamp;

crate::text_enum!("problem-state",
    pub enum ProblemState {
        /// Confirmed; the lead department is working on the answer.
        Open => "open",
        /// Answered: the reply has gone to every member demand.
        Replied => "replied",
        Closed => "closed",
    }
);

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CommonProblem {
    pub id: i64,
    pub title: String,
    pub summary: Option<String>,
    pub lead_department_id: i64,
    /// The city date it is due by (YYYY-MM-DD).
    pub due_on: String,
    #[schema(value_type = String)]
    pub state: ProblemState,
    pub reply: Option<String>,
    pub policy_basis: Option<String>,
    #[schema(value_type = Option<String>)]
    pub replied_at: Option<Timestamp>,
    pub replied_by: Option<i64>,
    #[schema(value_type = Option<String>)]
    pub closed_at: Option<Timestamp>,
    pub created_by: Option<i64>,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = String)]
    pub updated_at: Timestamp,
}

/// What a coordinator confirms: a title, a lead department, a deadline and
/// the member demands.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ProblemDraft {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub lead_department_id: Option<i64>,
    /// YYYY-MM-DD.
    #[serde(default)]
    pub due_on: String,
    #[serde(default)]
    pub demand_ids: Vec<i64>,
}

/// The policy-level answer.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ProblemReply {
    pub text: String,
    #[serde(default)]
    pub policy_basis: Option<String>,
}

/// A member demand as the problem's page lists it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Member {
    pub demand_id: i64,
    pub enterprise_id: i64,
    pub title: String,
    pub lang: String,
    pub state: String,
    pub rating: Option<String>,
}

/// A common problem with how far it reaches.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProblemSummary {
    #[serde(flatten)]
    pub problem: CommonProblem,
    pub demands: i64,
    /// Distinct enterprises among the member demands.
    pub enterprises: i64,
}
