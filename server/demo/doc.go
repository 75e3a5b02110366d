// Package demo loads a demonstration district into a store: 上海市宝山区 with 友谊路街道, its 41
// residents' and villagers' committees and its departments on the real 2023 统计用区划代码, a dispatch
// catalogue, a few dozen tickets in the states the street's lifecycle reaches (004), 好差评 reviews
// good and bad, a bad review appealed and upheld (000 §6), and one API key per role.
//
// [Load] drives every ticket through the store's own intake and lifecycle ([store.Store.Intake],
// [store.Store.Apply]) — screening with ticket/screen, dispatching with the stored directory's router
// through server/loop — at instants counted back from now in working days, so the demo shows tickets
// due soon and overdue whenever it is loaded. It is idempotent: each demo ticket carries the upstream
// number DEMO-nnn from the source platform "demo", so a second Load finds it (the store's unique
// (source platform, upstream number) pair) and adds nothing; a ticket a crashed Load left half-way is
// carried on from where its history stops.
//
// [Credentials] issues the demo's API keys, keeping those of an earlier run that still authenticate
// (read back with [ReadKeys] from the file [WriteKeys] wrote), so restarting the demo does not
// invalidate the keys a user has copied. [Walkthrough] prints the keys with a short curl session in
// Chinese and English.
//
// The demo is for trying the server, never for production: its keys are printed and kept in a file.
package demo
