-- Every column the queries touch is in the index, so SQLite never reads the table rows.
CREATE INDEX clicks_by_link_time_referrer ON clicks (link_id, clicked_at, referrer);
