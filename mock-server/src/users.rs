//! The demo customers: who they are, how each behaves at sign-in, and the one team.

use serde::Serialize;

/// The password every demo user starts with.
pub const PASSWORD: &str = "Passw0rd!";
/// Bob's TOTP secret (base32).
pub const BOB_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXP";

/// How a user behaves at sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserKind {
    /// Plain email + password.
    Password,
    /// Needs a TOTP code as well.
    Totp,
    /// Must reset the password before signing in.
    MustReset,
    /// Suspended: every sign-in fails.
    Suspended,
}

/// A demo customer (one coworker record).
#[derive(Clone, Debug)]
pub struct User {
    /// Coworker id (`/api/public/billing/customer` → `Id`, `/api/public/coworkers/profiles` → `Id`).
    pub id: u64,
    /// Canonical (lower-case) email.
    pub email: String,
    /// Full name.
    pub name: String,
    /// Current password (changed by a password reset).
    pub password: String,
    /// Base32 TOTP secret when 2FA is on.
    pub totp_secret: Option<&'static str>,
    /// Set until the user completes a password reset.
    pub must_reset: bool,
    /// Suspended accounts cannot sign in.
    pub suspended: bool,
    /// Coworker ids of the team this user administers (empty: not a team admin).
    pub team: Vec<u64>,
}

impl User {
    /// The behaviour this user shows right now.
    pub fn kind(&self) -> UserKind {
        if self.suspended {
            UserKind::Suspended
        } else if self.must_reset {
            UserKind::MustReset
        } else if self.totp_secret.is_some() {
            UserKind::Totp
        } else {
            UserKind::Password
        }
    }

    /// True when this user administers a team and so may act for its members.
    pub fn is_team_admin(&self) -> bool {
        !self.team.is_empty()
    }
}

/// Alice's coworker id: the team admin.
pub const TEAM_ADMIN_ID: u64 = 1;
/// Coworker ids of the members of Alice's team (Erin and Frank).
pub const TEAM_MEMBER_IDS: [u64; 2] = [5, 6];

/// The demo users, in their initial state.
///
/// Alice (plain password) administers a team whose members are Erin and Frank (plain password too).
pub fn demo_users() -> Vec<User> {
    let user = |id, email: &str, name: &str| User {
        id,
        email: email.into(),
        name: name.into(),
        password: PASSWORD.into(),
        totp_secret: None,
        must_reset: false,
        suspended: false,
        team: Vec::new(),
    };
    vec![
        User {
            team: TEAM_MEMBER_IDS.to_vec(),
            ..user(TEAM_ADMIN_ID, "alice@example.com", "Alice Martin")
        },
        User {
            totp_secret: Some(BOB_TOTP_SECRET),
            ..user(2, "bob@example.com", "Bob Stone")
        },
        User {
            must_reset: true,
            ..user(3, "carol@example.com", "Carol Diaz")
        },
        User {
            suspended: true,
            ..user(4, "dave@example.com", "Dave Kim")
        },
        user(TEAM_MEMBER_IDS[0], "erin@example.com", "Erin Walsh"),
        user(TEAM_MEMBER_IDS[1], "frank@example.com", "Frank Osei"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_the_team_exists() {
        let users = demo_users();
        let mut ids: Vec<u64> = users.iter().map(|u| u.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), users.len());
        let admin = users.iter().find(|u| u.is_team_admin()).unwrap();
        assert_eq!(admin.id, TEAM_ADMIN_ID);
        for id in &admin.team {
            let member = users.iter().find(|u| u.id == *id).unwrap();
            assert_eq!(member.kind(), UserKind::Password);
            assert!(!member.is_team_admin());
        }
    }
}
