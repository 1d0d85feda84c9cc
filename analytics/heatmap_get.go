package analytics

import (
	"github.com/gofiber/fiber/v2"

	"hailong/web"
)

type heatCellJSON struct {
	Weekday int        `json:"weekday"` // 0 = Sunday
	Hour    int        `json:"hour"`
	Volume  uint64     `json:"volume"`
	Index   figureJSON `json:"index"`
}

// getHeatmap handles GET /api/v1/analytics/heatmap: index and volume per
// weekday × hour (local time), the cells with responses only.
func getHeatmap(d *web.Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		r, err := parseRequest(c, d, append(append([]string{}, paramsScope...), "survey", "channel", "misuse", "unverified")...)
		if err != nil {
			return err
		}
		cells, err := r.eng.Heatmap(r.filter, r.period)
		if err != nil {
			return err
		}
		out := make([]heatCellJSON, 0, len(cells))
		for _, h := range cells {
			out = append(out, heatCellJSON{Weekday: h.Weekday, Hour: h.Hour, Volume: h.Volume, Index: figure(h.Index, r.eng.Cfg.MinN)})
		}
		return c.JSON(fiber.Map{"scope": r.scopeJSON(), "cells": out})
	}
}
