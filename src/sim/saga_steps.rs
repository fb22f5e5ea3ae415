//! The order saga the `saga` simulation runs: five local transactions in four services,
//! shaped after Richardson's Create Order saga (*Microservices Patterns*, ch. 4).
//! Compensatable steps come first, then the pivot, then the retriable steps.

use super::contract::{SagaStep, StepKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    Order,
    Inventory,
    Payment,
    Shipping,
}

impl Service {
    pub const ALL: [Service; 4] = [
        Service::Order,
        Service::Inventory,
        Service::Payment,
        Service::Shipping,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Service::Order => "order",
            Service::Inventory => "inventory",
            Service::Payment => "payment",
            Service::Shipping => "shipping",
        }
    }
}

/// What a step's local transaction changes, so the simulation can show each service's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    CreateOrder,
    CheckStock,
    ReserveStock,
    ChargePayment,
    ScheduleShipment,
    ApproveOrder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StepDef {
    pub service: Service,
    pub name: &'static str,
    pub kind: StepKind,
    /// The compensating transaction, for compensatable steps.
    pub compensation: Option<&'static str>,
    pub effect: Effect,
    /// Choreography: what the service publishes when the step succeeds, fails, or is undone.
    pub done_event: &'static str,
    pub failed_event: &'static str,
    pub undone_event: &'static str,
    /// Why the step fails when the fault is injected there.
    pub failure: &'static str,
}

/// The event that starts the saga in choreography.
pub const START_EVENT: &str = "OrderRequested";

pub const ORDER_SAGA: [StepDef; 6] = [
    StepDef {
        service: Service::Order,
        name: "create_order",
        kind: StepKind::Compensatable,
        compensation: Some("reject_order"),
        effect: Effect::CreateOrder,
        done_event: "OrderCreated",
        failed_event: "OrderCreationFailed",
        undone_event: "OrderRejected",
        failure: "address not deliverable",
    },
    StepDef {
        service: Service::Inventory,
        name: "check_stock",
        kind: StepKind::ReadOnly,
        compensation: None,
        effect: Effect::CheckStock,
        done_event: "StockAvailable",
        failed_event: "StockUnavailable",
        undone_event: "",
        failure: "out of stock",
    },
    StepDef {
        service: Service::Inventory,
        name: "reserve_stock",
        kind: StepKind::Compensatable,
        compensation: Some("release_stock"),
        effect: Effect::ReserveStock,
        done_event: "StockReserved",
        failed_event: "StockReservationFailed",
        undone_event: "StockReleased",
        failure: "stock taken by another order",
    },
    StepDef {
        service: Service::Payment,
        name: "charge_payment",
        kind: StepKind::Compensatable,
        compensation: Some("refund_payment"),
        effect: Effect::ChargePayment,
        done_event: "PaymentCharged",
        failed_event: "PaymentFailed",
        undone_event: "PaymentRefunded",
        failure: "card declined",
    },
    StepDef {
        service: Service::Shipping,
        name: "schedule_shipment",
        kind: StepKind::Pivot,
        compensation: None,
        effect: Effect::ScheduleShipment,
        done_event: "ShipmentScheduled",
        failed_event: "ShipmentFailed",
        undone_event: "",
        failure: "no courier available",
    },
    StepDef {
        service: Service::Order,
        name: "approve_order",
        kind: StepKind::Retriable,
        compensation: None,
        effect: Effect::ApproveOrder,
        done_event: "OrderApproved",
        failed_event: "OrderApprovalFailed",
        undone_event: "",
        failure: "order database timed out",
    },
];

/// The saga as the contract's orchestrators see it.
pub fn contract_steps() -> Vec<SagaStep> {
    ORDER_SAGA
        .iter()
        .map(|s| SagaStep {
            name: s.name.to_string(),
            kind: s.kind,
        })
        .collect()
}

/// A word for each step kind, as the diagram and the summary print it.
pub fn kind_name(kind: StepKind) -> &'static str {
    match kind {
        StepKind::Compensatable => "compensatable",
        StepKind::ReadOnly => "read-only",
        StepKind::Pivot => "pivot",
        StepKind::Retriable => "retriable",
    }
}
