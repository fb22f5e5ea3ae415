-- Replace the spreadsheet with customers, products, orders and order_items.
CREATE TABLE order_lines (
    order_id       INTEGER,
    ordered_at     TEXT,
    customer_email TEXT,
    customer_name  TEXT,
    product_sku    TEXT,
    product_name   TEXT,
    price_cents    INTEGER,
    quantity       INTEGER
);
