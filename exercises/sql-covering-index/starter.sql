-- One index that covers both dashboard queries.
CREATE INDEX clicks_by_link ON clicks (link_id);
