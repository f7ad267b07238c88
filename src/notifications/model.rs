//! Kinds of notification and what one is.

use serde::Serialize;

use crate::db::Timestamp;

crate::text_enum!("notification-kind",
    pub enum Kind {
        /// A demand was sent to your department.
        Assigned => "assigned",
        /// A department sent a demand back.
        Returned => "returned",
        /// The city asks your enterprise a question.
        Question => "question",
        /// Your extension request was approved or denied.
        ExtensionDecision => "extension_decision",
        /// Your demand was answered.
        Replied => "replied",
        DueSoon => "due_soon",
        Overdue => "overdue",
        /// Overdue for long: sent to the leaders.
        Escalated => "escalated",
        /// A leader's instruction on a demand of your department.
        Instruction => "instruction",
        /// A common problem was given to your department to answer.
        ProblemAssigned => "problem_assigned",
    }
);

#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub kind: Kind,
    pub subject_type: String,
    pub subject_id: i64,
    pub title: String,
    #[schema(value_type = String)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>)]
    pub read_at: Option<Timestamp>,
}

impl Notification {
    /// Where the reader goes to act on it.
    pub fn href(&self) -> String {
        href(&self.subject_type, self.subject_id)
    }
}

/// The page of a notice's subject.
pub fn href(subject_type: &str, subject_id: i64) -> String {
    match subject_type {
        "demand" => format!("/demands/{subject_id}"),
        "common_problem" => format!("/common-problems/{subject_id}"),
        "plan_task" => format!("/tasks/{subject_id}"),
        "plan" => format!("/plans/{subject_id}"),
        "plan_goal" => format!("/goals/{subject_id}"),
        _ => "/".into(),
    }
}

/// Who should hear of something.
#[derive(Debug, Clone)]
pub enum Recipients {
    /// Officers of these departments.
    Departments(Vec<i64>),
    Coordinators,
    Leaders,
    /// The enterprise's own accounts.
    Enterprise(i64),
}
