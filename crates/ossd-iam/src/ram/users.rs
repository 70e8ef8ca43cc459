//! RAM users: CreateUser, GetUser, UpdateUser, ListUsers, DeleteUser
//! (docs/protocol/ram.md#ram-actions, #ram-action-semantics).

use super::counted::Creation;
use super::{Fail, Listed, Out, RamOutcome, User};
use crate::Entity;
use crate::params::Params;
use crate::store::{EntityKind, NameRef, Txn, UserRecord};
use crate::validate::{self, MAX_COMMENTS, MAX_DISPLAY_NAME};
use crate::{Iam, RamAction, ids};

/// Most users per account (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_USERS: u64 = 1000;

/// Validates the optional profile fields (`prefix` = "" or "New").
fn check_profile(p: Params<'_>, prefix: &str) -> Result<(), Fail> {
    let name = |field: &str| format!("{prefix}{field}");
    if let Some(v) = p.opt(&name("DisplayName")) {
        validate::text(&name("DisplayName"), v, MAX_DISPLAY_NAME)?;
    }
    if let Some(v) = p.opt(&name("Comments")) {
        validate::text(&name("Comments"), v, MAX_COMMENTS)?;
    }
    if let Some(v) = p.opt(&name("Email")) {
        validate::email(&name("Email"), v)?;
    }
    if let Some(v) = p.opt(&name("MobilePhone")) {
        validate::mobile_phone(&name("MobilePhone"), v)?;
    }
    Ok(())
}

impl Iam {
    /// Dispatches the user actions.
    pub(super) async fn user_action(&self, action: RamAction, p: Params<'_>) -> Out {
        match action {
            RamAction::CreateUser => self.create_user(p).await,
            RamAction::GetUser => self.get_user(p).await,
            RamAction::UpdateUser => self.update_user(p).await,
            RamAction::ListUsers => self.list_users(p).await,
            _ => self.delete_user(p).await,
        }
    }

    /// CreateUser.
    async fn create_user(&self, p: Params<'_>) -> Out {
        let name = p.required("UserName")?;
        validate::user_or_group_name("UserName", name)?;
        check_profile(p, "")?;
        let now = self.now();
        let user = UserRecord {
            id: ids::user_id(),
            name: name.to_owned(),
            display_name: p.opt("DisplayName").unwrap_or_default().to_owned(),
            comments: p.opt("Comments").unwrap_or_default().to_owned(),
            email: p.opt("Email").unwrap_or_default().to_owned(),
            mobile_phone: p.opt("MobilePhone").unwrap_or_default().to_owned(),
            created: now,
            updated: now,
        };
        let layout = &self.store().layout;
        let mut txn = Txn::new();
        let index = layout.user_id(&user.id);
        txn.absent(&index).put(
            &index,
            &NameRef {
                name: user.name.clone(),
            },
        );
        let key = layout.user(name);
        let creation = Creation {
            counter: "users",
            limit: MAX_USERS,
            what: Entity::User,
            key,
            record: &user,
        };
        self.create_counted(creation, txn).await?;
        Ok(RamOutcome::UserCreated(User::from(&user)))
    }

    /// GetUser.
    async fn get_user(&self, p: Params<'_>) -> Out {
        let name = p.required("UserName")?;
        validate::user_or_group_name("UserName", name)?;
        let user = self.user_named(name).await?;
        Ok(RamOutcome::User(User::from(&user.value)))
    }

    /// UpdateUser: `New*` fields; a new name keeps the UserId.
    async fn update_user(&self, p: Params<'_>) -> Out {
        let name = p.required("UserName")?;
        validate::user_or_group_name("UserName", name)?;
        let new_name = p.opt("NewUserName");
        if let Some(n) = new_name {
            validate::user_or_group_name("NewUserName", n)?;
        }
        check_profile(p, "New")?;
        let stored = self.user_named(name).await?;
        let mut user = stored.value.clone();
        apply_profile(&mut user, p);
        user.updated = self.now();
        let layout = &self.store().layout;
        let mut txn = Txn::new();
        txn.expect(&layout.user(name), Some(&stored));
        if let Some(new_name) = new_name {
            self.rekey(
                &layout.user(name),
                &layout.user(new_name),
                Entity::User,
                &mut txn,
            )
            .await?;
            user.name = new_name.to_owned();
            txn.put(
                &layout.user_id(&user.id),
                &NameRef {
                    name: user.name.clone(),
                },
            );
        }
        txn.put(&layout.user(&user.name), &user);
        self.commit(txn).await?;
        Ok(RamOutcome::User(User::from(&user)))
    }

    /// ListUsers.
    async fn list_users(&self, p: Params<'_>) -> Out {
        let max = p.max_items()?;
        let page = self
            .page::<UserRecord>(&self.store().layout.users(), p.marker(), max)
            .await?;
        Ok(RamOutcome::Users(Listed {
            items: page
                .items
                .iter()
                .map(|(_, u)| User::from(&u.value))
                .collect(),
            marker: page.next,
        }))
    }

    /// DeleteUser: refused while the user has keys, groups or policies.
    async fn delete_user(&self, p: Params<'_>) -> Out {
        let name = p.required("UserName")?;
        validate::user_or_group_name("UserName", name)?;
        let user = self.user_named(name).await?;
        let layout = &self.store().layout;
        let id = &user.value.id;
        let dependents = [
            (layout.owner_keys(id), Entity::UserAccessKey),
            (layout.memberships(id), Entity::UserGroup),
            (layout.attached(EntityKind::User, id), Entity::UserPolicy),
        ];
        let mut txn = Txn::new();
        self.require_no_dependents(&dependents, &mut txn).await?;
        txn.expect(&layout.user(name), Some(&user))
            .delete(&layout.user(name))
            .delete(&layout.user_id(id));
        self.delete_counted("users", txn).await?;
        Ok(RamOutcome::Done)
    }
}

/// Applies the `New*` profile fields of UpdateUser (an empty value clears the field).
fn apply_profile(user: &mut UserRecord, p: Params<'_>) {
    let fields = [
        ("NewDisplayName", &mut user.display_name),
        ("NewComments", &mut user.comments),
        ("NewEmail", &mut user.email),
        ("NewMobilePhone", &mut user.mobile_phone),
    ];
    for (param, field) in fields {
        if let Some(v) = p.raw(param) {
            *field = v.to_owned();
        }
    }
}
