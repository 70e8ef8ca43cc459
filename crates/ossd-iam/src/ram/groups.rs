//! Groups and memberships: CreateGroup, GetGroup, UpdateGroup, ListGroups, DeleteGroup,
//! AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser, ListUsersForGroup
//! (docs/protocol/ram.md#ram-actions, #ram-action-semantics).

use super::counted::Creation;
use super::{Fail, Group, Listed, Membership, Out, RamOutcome, User};
use crate::Entity;
use crate::params::Params;
use crate::store::{EntityKind, GroupRecord, Joined, NameRef, Txn, UserRecord, child};
use crate::validate::{self, MAX_COMMENTS};
use crate::{Iam, RamAction, codes, ids};

/// Most groups per account (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_GROUPS: u64 = 50;
/// Most groups per user (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_GROUPS_PER_USER: usize = 5;

/// The validated `GroupName`.
fn group_name<'a>(p: Params<'a>) -> Result<&'a str, Fail> {
    let name = p.required("GroupName")?;
    validate::user_or_group_name("GroupName", name)?;
    Ok(name)
}

/// The validated `UserName`.
fn user_name<'a>(p: Params<'a>) -> Result<&'a str, Fail> {
    let name = p.required("UserName")?;
    validate::user_or_group_name("UserName", name)?;
    Ok(name)
}

impl Iam {
    /// Dispatches the group actions.
    pub(super) async fn group_action(&self, action: RamAction, p: Params<'_>) -> Out {
        match action {
            RamAction::CreateGroup => self.create_group(p).await,
            RamAction::GetGroup => self.get_group(p).await,
            RamAction::UpdateGroup => self.update_group(p).await,
            RamAction::ListGroups => self.list_groups(p).await,
            RamAction::DeleteGroup => self.delete_group(p).await,
            RamAction::AddUserToGroup => self.add_user_to_group(p).await,
            RamAction::RemoveUserFromGroup => self.remove_user_from_group(p).await,
            RamAction::ListGroupsForUser => self.list_groups_for_user(p).await,
            _ => self.list_users_for_group(p).await,
        }
    }

    /// CreateGroup.
    async fn create_group(&self, p: Params<'_>) -> Out {
        let name = group_name(p)?;
        let comments = p.opt("Comments").unwrap_or_default();
        validate::text("Comments", comments, MAX_COMMENTS)?;
        let now = self.now();
        let group = GroupRecord {
            id: ids::group_id(),
            name: name.to_owned(),
            comments: comments.to_owned(),
            created: now,
            updated: now,
        };
        let layout = &self.store().layout;
        let mut txn = Txn::new();
        let index = layout.group_id(&group.id);
        txn.absent(&index).put(
            &index,
            &NameRef {
                name: group.name.clone(),
            },
        );
        let key = layout.group(name);
        let creation = Creation {
            counter: "groups",
            limit: MAX_GROUPS,
            what: Entity::Group,
            key,
            record: &group,
        };
        self.create_counted(creation, txn).await?;
        Ok(RamOutcome::GroupCreated(Group::from(&group)))
    }

    /// GetGroup.
    async fn get_group(&self, p: Params<'_>) -> Out {
        let group = self.group_named(group_name(p)?).await?;
        Ok(RamOutcome::Group(Group::from(&group.value)))
    }

    /// UpdateGroup: `NewGroupName`, `NewComments`.
    async fn update_group(&self, p: Params<'_>) -> Out {
        let name = group_name(p)?;
        let new_name = p.opt("NewGroupName");
        if let Some(n) = new_name {
            validate::user_or_group_name("NewGroupName", n)?;
        }
        let comments = p.raw("NewComments");
        if let Some(c) = comments {
            validate::text("NewComments", c, MAX_COMMENTS)?;
        }
        let stored = self.group_named(name).await?;
        let layout = &self.store().layout;
        let mut group = stored.value.clone();
        let mut txn = Txn::new();
        txn.expect(&layout.group(name), Some(&stored));
        if let Some(new_name) = new_name {
            self.rekey(
                &layout.group(name),
                &layout.group(new_name),
                Entity::Group,
                &mut txn,
            )
            .await?;
            group.name = new_name.to_owned();
            txn.put(
                &layout.group_id(&group.id),
                &NameRef {
                    name: group.name.clone(),
                },
            );
        }
        group.comments = comments.map_or(group.comments, str::to_owned);
        group.updated = self.now();
        txn.put(&layout.group(&group.name), &group);
        self.commit(txn).await?;
        Ok(RamOutcome::Group(Group::from(&group)))
    }

    /// ListGroups.
    async fn list_groups(&self, p: Params<'_>) -> Out {
        let max = p.max_items()?;
        let page = self
            .page::<GroupRecord>(&self.store().layout.groups(), p.marker(), max)
            .await?;
        Ok(RamOutcome::Groups(Listed {
            items: page
                .items
                .iter()
                .map(|(_, g)| Group::from(&g.value))
                .collect(),
            marker: page.next,
        }))
    }

    /// DeleteGroup: refused while it has members or policies.
    async fn delete_group(&self, p: Params<'_>) -> Out {
        let name = group_name(p)?;
        let group = self.group_named(name).await?;
        let layout = &self.store().layout;
        let id = &group.value.id;
        let dependents = [
            (layout.members(id), Entity::GroupUser),
            (layout.attached(EntityKind::Group, id), Entity::GroupPolicy),
        ];
        let mut txn = Txn::new();
        self.require_no_dependents(&dependents, &mut txn).await?;
        txn.expect(&layout.group(name), Some(&group))
            .delete(&layout.group(name))
            .delete(&layout.group_id(id));
        self.delete_counted("groups", txn).await?;
        Ok(RamOutcome::Done)
    }

    /// AddUserToGroup: at most five groups per user.
    async fn add_user_to_group(&self, p: Params<'_>) -> Out {
        let (user_name, group_name) = (user_name(p)?, group_name(p)?);
        let user = self.user_named(user_name).await?;
        let group = self.group_named(group_name).await?;
        let layout = &self.store().layout;
        let (uid, gid) = (&user.value.id, &group.value.id);
        let membership = child(&layout.memberships(uid), gid);
        if self.store().get::<Joined>(&membership).await?.is_some() {
            return Err(codes::already_exists(Entity::UserGroup).into());
        }
        let joined = self
            .store()
            .scan::<Joined>(&layout.memberships(uid), "", MAX_GROUPS_PER_USER)
            .await?;
        if joined.len() >= MAX_GROUPS_PER_USER {
            return Err(codes::limit_exceeded(Entity::UserGroup).into());
        }
        let record = Joined { joined: self.now() };
        let mut txn = Txn::new();
        txn.touch(&layout.user(user_name), &user)
            .expect(&layout.group(group_name), Some(&group))
            .absent(&membership)
            .put(&membership, &record)
            .put(&child(&layout.members(gid), uid), &record);
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// RemoveUserFromGroup.
    async fn remove_user_from_group(&self, p: Params<'_>) -> Out {
        let user = self.user_named(user_name(p)?).await?;
        let group = self.group_named(group_name(p)?).await?;
        let layout = &self.store().layout;
        let (uid, gid) = (&user.value.id, &group.value.id);
        let membership = child(&layout.memberships(uid), gid);
        let Some(joined) = self.store().get::<Joined>(&membership).await? else {
            return Err(codes::not_exist(Entity::UserGroup).into());
        };
        let mut txn = Txn::new();
        txn.expect(&membership, Some(&joined))
            .delete(&membership)
            .delete(&child(&layout.members(gid), uid));
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// ListGroupsForUser.
    async fn list_groups_for_user(&self, p: Params<'_>) -> Out {
        let user = self.user_named(user_name(p)?).await?;
        let layout = &self.store().layout;
        let memberships = self
            .store()
            .scan_all::<Joined>(&layout.memberships(&user.value.id))
            .await?;
        let mut groups = Vec::new();
        for (gid, joined) in memberships {
            let index = layout.group_id(&gid);
            if let Some(g) = self
                .load_by_id::<GroupRecord>(&index, |l, n| l.group(n))
                .await?
            {
                groups.push(Membership {
                    entity: Group::from(&g),
                    joined: joined.value.joined,
                });
            }
        }
        Ok(RamOutcome::GroupsForUser(groups))
    }

    /// ListUsersForGroup (paged by UserId).
    async fn list_users_for_group(&self, p: Params<'_>) -> Out {
        let max = p.max_items()?;
        let group = self.group_named(group_name(p)?).await?;
        let layout = &self.store().layout;
        let page = self
            .page::<Joined>(&layout.members(&group.value.id), p.marker(), max)
            .await?;
        let mut users = Vec::new();
        for (uid, joined) in &page.items {
            let index = layout.user_id(uid);
            if let Some(u) = self
                .load_by_id::<UserRecord>(&index, |l, n| l.user(n))
                .await?
            {
                users.push(Membership {
                    entity: User::from(&u),
                    joined: joined.value.joined,
                });
            }
        }
        Ok(RamOutcome::UsersForGroup(Listed {
            items: users,
            marker: page.next,
        }))
    }
}
