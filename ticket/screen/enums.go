package screen

import (
	"github.com/hotline12345/hotline/deadline"
	"github.com/hotline12345/hotline/internal/enum"
)

// Outcome is what intake screening decides for an incoming item (000 第四条 (一); 002 第五条). The
// zero Outcome is unset and not valid.
type Outcome string

// The screening outcomes.
const (
	// Accept: the item is accepted (受理) and goes on to dispatch.
	Accept Outcome = "accept"
	// Refuse: the item is not accepted (不予受理 / 不予接收, 002 第五条); the citizen is told why and,
	// for matters outside government service, where to go instead.
	Refuse Outcome = "refuse"
	// MissingElements: required elements are missing (要素不全); the citizen is asked for them.
	MissingElements Outcome = "missing_elements"
	// Archive: a city item that does not meet the conditions for dispatch is archived as a general
	// suggestion (按照一般意见建议类归档, 000 第四条 (一)).
	Archive Outcome = "archive"
	// ReturnUpstream: a State Council item outside the city's remit or with missing elements goes
	// back to the upstream system (退回国办, 000 第四条 (一)), within the policy's
	// [deadline.ReturnUpstream] limit.
	ReturnUpstream Outcome = "return_upstream"
)

var outcomes = enum.New("screen.Outcome", ErrInvalidEnum,
	enum.Value[Outcome]{V: Accept, Label: "受理"},
	enum.Value[Outcome]{V: Refuse, Label: "不予受理"},
	enum.Value[Outcome]{V: MissingElements, Label: "要素不全"},
	enum.Value[Outcome]{V: Archive, Label: "按一般意见建议归档"},
	enum.Value[Outcome]{V: ReturnUpstream, Label: "退回国办"},
)

// Outcomes returns the outcomes in display order.
func Outcomes() []Outcome { return outcomes.All() }

// ParseOutcome returns the outcome whose wire value or Chinese label is s.
func ParseOutcome(s string) (Outcome, error) { return outcomes.Parse(s) }

// String returns the outcome's wire value, e.g. "refuse".
func (o Outcome) String() string { return string(o) }

// Label returns the outcome's Chinese label, e.g. "不予受理".
func (o Outcome) Label() string { return outcomes.Label(o) }

// Valid reports whether o is one of the declared outcomes.
func (o Outcome) Valid() bool { return outcomes.Valid(o) }

// UnmarshalText implements [encoding.TextUnmarshaler]; it accepts the wire value or the Chinese
// label and refuses anything else with an *[EnumError].
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := outcomes.Unmarshal(b)
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// DeadlineKey returns the deadline policy key whose limit starts when an item gets outcome o, and
// whether there is one: [deadline.ReplyRefusal] for a refusal (the reply saying why, 003 四 (四) 5)
// and [deadline.ReturnUpstream] for a return upstream (000 第四条 (一)).
func (o Outcome) DeadlineKey() (deadline.Key, bool) {
	switch o {
	case Refuse:
		return deadline.ReplyRefusal, true
	case ReturnUpstream:
		return deadline.ReturnUpstream, true
	}
	return "", false
}

// Action is what a firing [Category] does to the screening outcome. It is a setting of the
// screening policy, not a lifecycle action of package ticket.
type Action string

const (
	// ActionRefuse makes the category a reason to refuse the item.
	ActionRefuse Action = "refuse"
	// ActionFlag leaves the outcome alone and lists the category in [Result.Flags] for a person to
	// look at; use it for tests that are only hints (an unclear demand, a keyword that often appears
	// in legitimate complaints).
	ActionFlag Action = "flag"
)

var actions = enum.New("screen.Action", ErrInvalidEnum,
	enum.Value[Action]{V: ActionRefuse, Label: "不予受理"},
	enum.Value[Action]{V: ActionFlag, Label: "提示人工查看"},
)

// Actions returns the category actions in display order.
func Actions() []Action { return actions.All() }

// ParseAction returns the action whose wire value or Chinese label is s.
func ParseAction(s string) (Action, error) { return actions.Parse(s) }

// String returns the action's wire value.
func (a Action) String() string { return string(a) }

// Label returns the action's Chinese label.
func (a Action) Label() string { return actions.Label(a) }

// Valid reports whether a is one of the declared actions.
func (a Action) Valid() bool { return actions.Valid(a) }

// UnmarshalText implements [encoding.TextUnmarshaler], refusing unknown values.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := actions.Unmarshal(b)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// Element names an element an item must carry to be dispatched (诉求要素).
type Element string

// The elements screening can check.
const (
	ElementName    Element = "name"    // 诉求人姓名
	ElementContact Element = "contact" // 诉求人联系方式
	ElementContent Element = "content" // 诉求内容
	ElementPlace   Element = "place"   // 事发地点
	ElementRegion  Element = "region"  // 行政区划
	ElementMatter  Element = "matter"  // 事项
	ElementUnit    Element = "unit"    // 涉及单位
)

var elements = enum.New("screen.Element", ErrInvalidEnum,
	enum.Value[Element]{V: ElementName, Label: "诉求人姓名"},
	enum.Value[Element]{V: ElementContact, Label: "诉求人联系方式"},
	enum.Value[Element]{V: ElementContent, Label: "诉求内容"},
	enum.Value[Element]{V: ElementPlace, Label: "事发地点"},
	enum.Value[Element]{V: ElementRegion, Label: "行政区划"},
	enum.Value[Element]{V: ElementMatter, Label: "事项"},
	enum.Value[Element]{V: ElementUnit, Label: "涉及单位"},
)

// Elements returns the elements in display order.
func Elements() []Element { return elements.All() }

// ParseElement returns the element whose wire value or Chinese label is s.
func ParseElement(s string) (Element, error) { return elements.Parse(s) }

// String returns the element's wire value.
func (e Element) String() string { return string(e) }

// Label returns the element's Chinese name, e.g. "诉求人联系方式" ("未知(x)" for an unknown element).
func (e Element) Label() string { return elements.Label(e) }

// Valid reports whether e is one of the declared elements.
func (e Element) Valid() bool { return elements.Valid(e) }

// UnmarshalText implements [encoding.TextUnmarshaler], refusing unknown values.
func (e *Element) UnmarshalText(b []byte) error {
	v, err := elements.Unmarshal(b)
	if err != nil {
		return err
	}
	*e = v
	return nil
}
