/** The four roles of DESIGN.md. */
export const ROLES = ['engineer', 'compliance_officer', 'regulator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
