-- Reserved for the lease-epoch migration (issue 9 point 5), which the `fence` branch adds.
-- This placeholder only keeps the versions contiguous so 003 applies; fence's file replaces it.
SELECT 1;
