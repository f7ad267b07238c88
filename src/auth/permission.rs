//! The one permission check. Every page, API endpoint, CLI command and job
//! that reads or changes data asks [`authorize`] (or [`allows`], to decide
//! what to show) with the actor and the object, and nowhere else decides.

use crate::auth::{Actor, Role};
use crate::demands::model::DemandFacts;
use crate::error::{Error, Result};

/// Something an actor wants to do, naming the object where it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The home page and one's own profile, password, language and tokens.
    UseOwnAccount,
    ViewOrganisation,
    ManageOrganisation,
    ListUsers,
    ViewUser {
        user_id: i64,
    },
    ManageUsers,
    ListEnterprises,
    ViewEnterprise {
        enterprise_id: i64,
    },
    /// Change an enterprise's profile: coordinators any, an enterprise user
    /// their own.
    EditEnterprise {
        enterprise_id: i64,
    },
    /// See an enterprise's contacts (their personal data).
    ViewContacts {
        enterprise_id: i64,
    },
    /// Export the contacts of every enterprise the actor may see.
    ExportContacts,
    /// Add, change and remove an enterprise's contacts.
    ManageContacts {
        enterprise_id: i64,
    },
    /// Read visits and symposiums (officials' notes: staff only).
    ViewEngagements,
    /// Record visits and symposiums and their follow-ups.
    ManageEngagements,
    /// Register enterprises and tag them in bulk.
    ManageEnterprises,
    ManageTags,
    ViewJobs,
    ManageJobs,
    ViewAudit,
    /// Keep the working-day calendar.
    ManageCalendar,
    /// Keep demand categories and SLA policies.
    ManageDemandSettings,
    /// Write a demand: the enterprise itself, or a coordinator on its behalf.
    SubmitDemand {
        enterprise_id: i64,
    },
    /// Lists of demands (narrowed by [`demand_scope`]).
    ListDemands,
    ViewDemand(DemandFacts),
    /// Internal notes, co-department inputs, instructions, officers' names.
    ViewDemandInternals(DemandFacts),
    /// Accept, reject, assign, insist, decide extensions, reopen, close, merge.
    TriageDemands,
    /// Sign for, return, ask, request an extension, reply: the lead department.
    HandleDemand(DemandFacts),
    /// Internal notes and co-department inputs.
    ContributeToDemand(DemandFacts),
    /// Answer a question: the enterprise, or a coordinator who took the
    /// answer by phone.
    AnswerDemand(DemandFacts),
    /// Rate the reply: the enterprise only.
    RateDemand(DemandFacts),
    /// Give an instruction (批示).
    InstructOnDemand,
    /// The figures of demands (narrowed by [`demand_scope`]).
    ViewDemandFigures,
    /// Read the glossary of concepts (staff).
    ViewGlossary,
    /// Keep the glossary.
    ManageGlossary,
    /// Search (results narrowed by the scopes below).
    Search,
    /// Common problems: staff read them (they span enterprises).
    ViewCommonProblems,
    /// Confirm, change and close common problems.
    ManageCommonProblems,
    /// Write a common problem's reply: its lead department, or a coordinator.
    ReplyCommonProblem {
        lead_department_id: i64,
    },
    /// The road map and the task book (staff).
    ViewPlans,
    /// Write plans, goals, KPIs and tasks; enter KPI values.
    ManagePlans,
    /// Approve a plan: a leader.
    ApprovePlan,
    /// Report progress and tick off milestones: the lead unit's officers,
    /// or a coordinator.
    ReportOnTask {
        lead_department_id: i64,
    },
    /// Give an input: a co-unit's officers, or a coordinator.
    ContributeToTask {
        actor_co_unit: bool,
    },
    /// Give an instruction (批示) on a plan, goal or task.
    InstructOnPlans,
}

pub fn allows(actor: &Actor, action: Action) -> bool {
    use Role::*;
    let role = actor.role;
    match action {
        Action::UseOwnAccount => true,
        Action::ViewOrganisation => role != Enterprise,
        Action::ManageOrganisation | Action::ManageUsers => role == Admin,
        Action::ViewJobs | Action::ManageJobs => role == Admin,
        Action::ListUsers => matches!(role, Admin | Leader | Coordinator),
        Action::ViewUser { user_id } => {
            actor.user_id == Some(user_id) || matches!(role, Admin | Leader | Coordinator)
        }
        // The list itself is narrowed by `enterprise_scope`.
        Action::ListEnterprises => true,
        Action::ViewEnterprise { enterprise_id } => {
            role != Enterprise || actor.enterprise_id == Some(enterprise_id)
        }
        Action::EditEnterprise { enterprise_id } => {
            matches!(role, Admin | Coordinator)
                || (role == Enterprise && actor.enterprise_id == Some(enterprise_id))
        }
        Action::ViewContacts { enterprise_id } => {
            actor.sees_personal_data && allows(actor, Action::ViewEnterprise { enterprise_id })
        }
        Action::ExportContacts => {
            actor.sees_personal_data && allows(actor, Action::ListEnterprises)
        }
        Action::ManageContacts { enterprise_id } => {
            allows(actor, Action::EditEnterprise { enterprise_id })
        }
        Action::ViewEngagements => role != Enterprise,
        Action::ManageEngagements => matches!(role, Admin | Coordinator),
        Action::ManageEnterprises => matches!(role, Admin | Coordinator),
        Action::ManageTags => role == Admin,
        Action::ViewAudit => matches!(role, Admin | Leader),
        Action::ManageCalendar | Action::ManageDemandSettings => role == Admin,
        Action::SubmitDemand { enterprise_id } => {
            matches!(role, Admin | Coordinator)
                || (role == Enterprise && actor.enterprise_id == Some(enterprise_id))
        }
        Action::ListDemands => true,
        Action::ViewDemand(f) => match role {
            Admin | Leader | Coordinator => true,
            Viewer => !f.confidential,
            Officer => f.actor_leads || f.actor_co_handles,
            Enterprise => actor.enterprise_id == Some(f.enterprise_id),
        },
        Action::ViewDemandInternals(f) => {
            role != Enterprise && allows(actor, Action::ViewDemand(f))
        }
        Action::TriageDemands => matches!(role, Admin | Coordinator),
        Action::HandleDemand(f) => role == Officer && f.actor_leads,
        Action::ContributeToDemand(f) => match role {
            Admin | Leader | Coordinator => true,
            Officer => f.actor_leads || f.actor_co_handles,
            Viewer | Enterprise => false,
        },
        Action::AnswerDemand(f) => {
            matches!(role, Admin | Coordinator)
                || (role == Enterprise && actor.enterprise_id == Some(f.enterprise_id))
        }
        Action::RateDemand(f) => role == Enterprise && actor.enterprise_id == Some(f.enterprise_id),
        Action::InstructOnDemand => role == Leader,
        Action::ViewDemandFigures => role != Enterprise,
        Action::ViewGlossary => role != Enterprise,
        Action::ManageGlossary => role == Admin,
        Action::Search => true,
        Action::ViewCommonProblems => role != Enterprise,
        Action::ManageCommonProblems => matches!(role, Admin | Coordinator),
        Action::ReplyCommonProblem { lead_department_id } => {
            matches!(role, Admin | Coordinator)
                || (role == Officer && actor.department_id == Some(lead_department_id))
        }
        Action::ViewPlans => role != Enterprise,
        Action::ManagePlans => matches!(role, Admin | Coordinator),
        Action::ApprovePlan => role == Leader,
        Action::ReportOnTask { lead_department_id } => {
            matches!(role, Admin | Coordinator)
                || (role == Officer && actor.department_id == Some(lead_department_id))
        }
        Action::ContributeToTask { actor_co_unit } => {
            matches!(role, Admin | Coordinator) || (role == Officer && actor_co_unit)
        }
        Action::InstructOnPlans => role == Leader,
    }
}

pub fn authorize(actor: &Actor, action: Action) -> Result<()> {
    if allows(actor, action) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Which enterprises an actor may see in lists, counts and searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnterpriseScope {
    All,
    Only(i64),
    /// An enterprise account not linked to any enterprise sees nothing.
    Nothing,
}

pub fn enterprise_scope(actor: &Actor) -> EnterpriseScope {
    match (actor.role, actor.enterprise_id) {
        (Role::Enterprise, Some(id)) => EnterpriseScope::Only(id),
        (Role::Enterprise, None) => EnterpriseScope::Nothing,
        _ => EnterpriseScope::All,
    }
}

/// Which demands an actor may see in lists, counts and figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemandScope {
    All,
    /// Everything but confidential demands (viewers).
    NotConfidential,
    /// Those the department leads or co-handles (officers).
    Department(i64),
    Enterprise(i64),
    Nothing,
}

pub fn demand_scope(actor: &Actor) -> DemandScope {
    match actor.role {
        Role::Admin | Role::Leader | Role::Coordinator => DemandScope::All,
        Role::Viewer => DemandScope::NotConfidential,
        Role::Officer => actor
            .department_id
            .map_or(DemandScope::Nothing, DemandScope::Department),
        Role::Enterprise => actor
            .enterprise_id
            .map_or(DemandScope::Nothing, DemandScope::Enterprise),
    }
}

/// What an actor's searches may return, kind by kind: the same rules as
/// the lists and pages of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchScope {
    pub enterprises: EnterpriseScope,
    /// Contacts are personal data: only with that grant.
    pub contacts: EnterpriseScope,
    pub engagements: bool,
    pub demands: DemandScope,
    /// Whether staff-only text (notes, inputs, instructions) is searched.
    pub internals: bool,
}

pub fn search_scope(actor: &Actor) -> SearchScope {
    let enterprises = enterprise_scope(actor);
    SearchScope {
        enterprises,
        contacts: if actor.sees_personal_data {
            enterprises
        } else {
            EnterpriseScope::Nothing
        },
        engagements: allows(actor, Action::ViewEngagements),
        demands: demand_scope(actor),
        internals: actor.role != Role::Enterprise,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: Some(7),
            role,
            enterprise_id: (role == Role::Enterprise).then_some(3),
            department_id: (role == Role::Officer).then_some(2),
            ..Actor::system()
        }
    }

    #[test]
    fn enterprise_users_see_only_their_enterprise() {
        let e = actor(Role::Enterprise);
        assert!(allows(&e, Action::ViewEnterprise { enterprise_id: 3 }));
        assert!(!allows(&e, Action::ViewEnterprise { enterprise_id: 4 }));
        assert!(allows(&e, Action::EditEnterprise { enterprise_id: 3 }));
        assert!(!allows(&e, Action::EditEnterprise { enterprise_id: 4 }));
        assert!(!allows(&e, Action::ManageEnterprises));
        assert!(!allows(&e, Action::ManageTags));
        assert!(!allows(
            &actor(Role::Officer),
            Action::EditEnterprise { enterprise_id: 3 }
        ));
        assert!(!allows(&e, Action::ListUsers));
        assert!(!allows(&e, Action::ViewOrganisation));
        assert!(!allows(&e, Action::ViewUser { user_id: 8 }));
        assert!(allows(&e, Action::ViewUser { user_id: 7 }));
        assert_eq!(enterprise_scope(&e), EnterpriseScope::Only(3));
    }

    #[test]
    fn personal_data_follows_the_grant_and_the_enterprise() {
        let officer = actor(Role::Officer);
        let hidden = Actor {
            sees_personal_data: false,
            ..officer.clone()
        };
        assert!(allows(&officer, Action::ViewContacts { enterprise_id: 5 }));
        assert!(!allows(&hidden, Action::ViewContacts { enterprise_id: 5 }));
        assert!(!allows(
            &officer,
            Action::ManageContacts { enterprise_id: 5 }
        ));
        let e = actor(Role::Enterprise);
        assert!(allows(&e, Action::ViewContacts { enterprise_id: 3 }));
        assert!(allows(&e, Action::ManageContacts { enterprise_id: 3 }));
        assert!(!allows(&e, Action::ViewContacts { enterprise_id: 4 }));
        assert!(!allows(&e, Action::ManageContacts { enterprise_id: 4 }));
    }

    #[test]
    fn only_admins_manage_accounts_and_organisation() {
        for role in Role::ALL {
            let a = actor(role);
            assert_eq!(
                allows(&a, Action::ManageUsers),
                role == Role::Admin,
                "{role:?}"
            );
            assert_eq!(
                allows(&a, Action::ManageOrganisation),
                role == Role::Admin,
                "{role:?}"
            );
            assert_eq!(
                allows(&a, Action::ManageJobs),
                role == Role::Admin,
                "{role:?}"
            );
            assert!(allows(&a, Action::UseOwnAccount));
        }
    }

    #[test]
    fn leaders_read_everything_but_change_no_accounts() {
        let l = actor(Role::Leader);
        assert!(allows(&l, Action::ListUsers));
        assert!(allows(&l, Action::ViewAudit));
        assert!(allows(&l, Action::ViewEnterprise { enterprise_id: 99 }));
        assert!(!allows(&l, Action::ManageUsers));
    }

    #[test]
    fn demands_are_seen_by_their_enterprise_and_departments_only() {
        let facts = DemandFacts {
            enterprise_id: 3,
            actor_leads: false,
            actor_co_handles: false,
            confidential: true,
        };
        let lead = DemandFacts {
            actor_leads: true,
            ..facts
        };
        let officer = actor(Role::Officer);
        let own = actor(Role::Enterprise);
        let other = Actor {
            enterprise_id: Some(4),
            ..actor(Role::Enterprise)
        };
        assert!(!allows(&officer, Action::ViewDemand(facts)));
        assert!(allows(&officer, Action::ViewDemand(lead)));
        assert!(allows(&officer, Action::HandleDemand(lead)));
        assert!(!allows(&officer, Action::TriageDemands));
        assert!(allows(&own, Action::ViewDemand(facts)));
        assert!(!allows(&own, Action::ViewDemandInternals(facts)));
        assert!(allows(&own, Action::RateDemand(facts)));
        assert!(!allows(&other, Action::ViewDemand(facts)));
        assert!(!allows(&other, Action::RateDemand(facts)));
        assert!(!allows(&actor(Role::Viewer), Action::ViewDemand(facts)));
        assert!(!allows(
            &actor(Role::Coordinator),
            Action::RateDemand(facts)
        ));
        assert!(allows(&actor(Role::Leader), Action::InstructOnDemand));
        assert!(!allows(&actor(Role::Coordinator), Action::InstructOnDemand));
        assert_eq!(demand_scope(&officer), DemandScope::Department(2));
        assert_eq!(demand_scope(&own), DemandScope::Enterprise(3));
    }
}
