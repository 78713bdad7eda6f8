import { healthAnswer, toResponse } from "../ops-endpoints.server";

/** Liveness (process up); readiness is /readyz. In production the Express layer answers first. */
export const loader = () => toResponse(healthAnswer());
