//! RAM users: CreateUser, GetUser, UpdateUser, ListUsers, DeleteUser
//! (docs/protocol/ram.md#ram-actions, #ram-action-semantics).

use super::counted::Creation;
use super::{Listed, NewUser, Out, Page, RamOutcome, User, UserName, UserUpdate};
use crate::Entity;
use crate::store::{EntityKind, NameRef, Txn, UserRecord};
use crate::{Iam, ids};

/// Most users per account (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_USERS: u64 = 1000;

impl Iam {
    /// CreateUser.
    pub(super) async fn create_user(&self, new: &NewUser) -> Out {
        let name = new.user_name.as_str();
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let now = self.now();
        let user = UserRecord {
            id: ids::user_id(),
            name: name.to_owned(),
            display_name: text(&new.display_name),
            comments: text(&new.comments),
            email: text(&new.email),
            mobile_phone: text(&new.mobile_phone),
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
    pub(super) async fn get_user(&self, name: &UserName) -> Out {
        let user = self.user_named(name.as_str()).await?;
        Ok(RamOutcome::User(User::from(&user.value)))
    }

    /// UpdateUser: `New*` fields; a new name keeps the UserId.
    pub(super) async fn update_user(&self, update: &UserUpdate) -> Out {
        let name = update.user_name.as_str();
        let new_name = update.new_user_name.as_ref().map(UserName::as_str);
        let stored = self.user_named(name).await?;
        let mut user = stored.value.clone();
        apply_profile(&mut user, update);
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
    pub(super) async fn list_users(&self, page: &Page) -> Out {
        let page = self
            .page::<UserRecord>(&self.store().layout.users(), page)
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
    pub(super) async fn delete_user(&self, name: &UserName) -> Out {
        let name = name.as_str();
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
fn apply_profile(user: &mut UserRecord, update: &UserUpdate) {
    let fields = [
        (&update.new_display_name, &mut user.display_name),
        (&update.new_comments, &mut user.comments),
        (&update.new_email, &mut user.email),
        (&update.new_mobile_phone, &mut user.mobile_phone),
    ];
    for (value, field) in fields {
        if let Some(v) = value {
            v.clone_into(field);
        }
    }
}
