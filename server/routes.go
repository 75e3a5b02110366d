package server

import (
	"github.com/labstack/echo/v4"

	"github.com/hotline12345/hotline/server/store"
)

// routes is the whole API surface, one line per route; server/api/openapi.yaml describes each (a test
// checks the two agree).
func (s *server) routes(e *echo.Echo) {
	// Operations.
	e.GET("/livez", s.livez)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", s.metrics())
	e.GET("/openapi.yaml", s.openapi)

	// Calendar: public.
	e.GET("/v1/calendar/days/:date", s.calendarDay)
	e.GET("/v1/calendar/years", s.calendarYears)
	e.GET("/v1/calendar/policies", s.calendarPolicies)
	e.GET("/v1/calendar/deadline", s.calendarDeadline)

	// Tickets: an API key is required; the store scopes every read and write to the caller.
	t := e.Group("/v1/tickets", s.authenticate)
	t.POST("", s.intake)
	t.GET("", s.listTickets)
	t.GET("/:id", s.getTicket)
	t.POST("/:id/actions", s.applyAction)
	t.GET("/:id/forms/:form", s.ticketForm)
	t.POST("/:id/dispatch", s.dispatchTicket)

	// Routing: a decision and its trail over the stored directory, creating nothing.
	e.POST("/v1/routing/preview", s.routingPreview, s.authenticate)

	// Reviews (好差评), appeals, objections, reconsiderations and assessment: an API key is required.
	e.POST("/v1/reviews", s.intakeReview, s.authenticate)
	e.GET("/v1/reviews", s.listReviews, s.authenticate)
	e.GET("/v1/reviews/:id", s.getReview, s.authenticate)
	e.POST("/v1/reviews/:id/void", s.voidReview, s.authenticate)
	e.POST("/v1/appeals", s.fileAppeal, s.authenticate)
	e.POST("/v1/objections", s.fileObjection, s.authenticate)
	e.POST("/v1/reconsiderations", s.fileReconsideration, s.authenticate)
	e.GET("/v1/cases/:id", s.getCase, s.authenticate)
	e.POST("/v1/cases/:id/actions", s.actCase, s.authenticate)
	e.GET("/v1/assessment/schemes", s.assessmentSchemes, s.authenticate)
	e.GET("/v1/assessment/results", s.assessmentResults, s.authenticate)
	e.GET("/v1/assessment/proofs/:unit", s.assessmentProof, s.authenticate)
	e.POST("/v1/assessment/verify", s.assessmentVerify, s.authenticate)

	// Keys, the directory and the reveal of a masked field: the store decides who may (admin.go,
	// admin_directory.go, reveal.go).
	e.POST("/v1/admin/keys", s.createKey, s.authenticate)
	e.GET("/v1/admin/keys", s.listKeys, s.authenticate)
	e.DELETE("/v1/admin/keys/:id", s.revokeKey, s.authenticate)
	e.GET("/v1/units", s.listUnits, s.authenticate)
	e.POST("/v1/units/import", s.importUnits, s.authenticate)
	e.GET("/v1/units/:id", s.getUnit, s.authenticate)
	e.PUT("/v1/units/:id", s.putUnit, s.authenticate)
	e.GET("/v1/catalogue", s.getCatalogue, s.authenticate)
	e.PUT("/v1/catalogue", s.putCatalogue, s.authenticate)
	e.GET("/v1/regions", s.getRegions, s.authenticate)
	e.PUT("/v1/regions", s.putRegions, s.authenticate)
	e.POST("/v1/tickets/:id/reveal", s.revealField, s.authenticate)

	// Attachments (000 §4 (三), §6 (一)), the knowledge base (知识库) and the case library (案例库).
	e.POST("/v1/tickets/:id/attachments", s.uploadAttachment(store.SubjectTicket), s.authenticate)
	e.GET("/v1/tickets/:id/attachments", s.listAttachments(store.SubjectTicket), s.authenticate)
	e.POST("/v1/cases/:id/attachments", s.uploadAttachment(store.SubjectCase), s.authenticate)
	e.GET("/v1/cases/:id/attachments", s.listAttachments(store.SubjectCase), s.authenticate)
	e.GET("/v1/attachments/:id", s.downloadAttachment, s.authenticate)
	e.POST("/v1/tickets/:id/knowledge-answer", s.answerFromKnowledge, s.authenticate)
	e.GET("/v1/knowledge/suggest", s.suggestKnowledge, s.authenticate)
	e.GET("/v1/knowledge/search", s.searchKnowledge, s.authenticate)
	e.GET("/v1/knowledge/entries", s.listKnowledge, s.authenticate)
	e.POST("/v1/knowledge/entries", s.createKnowledge, s.authenticate)
	e.GET("/v1/knowledge/entries/:id", s.getKnowledge, s.authenticate)
	e.PUT("/v1/knowledge/entries/:id", s.putKnowledge, s.authenticate)
	e.GET("/v1/knowledge/entries/:id/versions", s.knowledgeHistory, s.authenticate)
	e.POST("/v1/knowledge/import", s.importKnowledge, s.authenticate)
	e.GET("/v1/knowledge/export", s.exportKnowledge, s.authenticate)
	e.POST("/v1/library/cases", s.draftCase, s.authenticate)
	e.GET("/v1/library/cases", s.listLibraryCases, s.authenticate)
	e.GET("/v1/library/cases/:id", s.getLibraryCase, s.authenticate)
	e.POST("/v1/library/cases/:id/actions", s.actOnCase, s.authenticate)
	e.GET("/v1/library/search", s.searchLibrary, s.authenticate)

	// Pages (pages*.go, templates in server/web): the staff console, the big screen, the public
	// pages and the rating forms, unless WithoutPages.
	if s.web != nil {
		s.pageRoutes(e)
	}

	// Ledgers, reports and rankings (issue 13): exports are audited; identities masked by role.
	e.GET("/v1/ledgers/tickets", s.ledgerTickets, s.authenticate)
	e.GET("/v1/ledgers/window-cases", s.ledgerWindowCases, s.authenticate)
	e.GET("/v1/reports/monthly", s.monthlyReport, s.authenticate)
	e.POST("/v1/rankings", s.publishRanking, s.authenticate)

	// Service windows and their QR codes (001 (四)).
	e.GET("/v1/windows", s.listWindows, s.authenticate)
	e.GET("/v1/windows/sheet", s.windowSheet, s.authenticate)
	e.PUT("/v1/windows/:id", s.putWindow, s.authenticate)
	e.GET("/v1/windows/:id/qr.png", s.windowQRPNG, s.authenticate)
	e.GET("/v1/windows/:id/qr.svg", s.windowQRSVG, s.authenticate)

	// Public disclosure (001 (八), (十)) as JSON and a published ranking's page: no key; rate-limited
	// per address and cached briefly (the group's own middleware). The pages of the public reviews,
	// ratings and rankings and the rating form of a window's QR code are the pages' (pages.go).
	d := s.newDisclosure()
	pub := e.Group("/public", d.limit, d.cache.Middleware)
	pub.GET("/v1/reviews", d.reviews)
	pub.GET("/v1/ratings", d.ratings)
	pub.GET("/v1/rankings", d.rankings)
	pub.GET("/v1/rankings/:id", d.ranking)
	pub.GET("/v1/rankings/:id/input", d.rankingInput)
	pub.GET("/rankings/:id", d.rankingPage)
}
