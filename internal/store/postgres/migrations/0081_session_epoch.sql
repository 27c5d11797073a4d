-- A user's session epoch counts the events that end their sessions
-- (disabled, enabled again, password set): dashboard sessions are bound to
-- it, so re-enabling a user does not revive the sessions of before.
ALTER TABLE users ADD COLUMN session_epoch bigint NOT NULL DEFAULT 0;
