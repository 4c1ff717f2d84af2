// DirectionControlMarks: bidi controls that arrive in a message are shown, not obeyed.
//
// An override or an embedding hidden in an answer makes the screen lie: "account 1234-5678"
// with an RLO (U+202E) before the digits shows 8765-4321, and a URL can show another host than
// the one it links to. So every direction control of a rendered document
// (TextDirection::isDirectionControl) is replaced, in the document only, by an inline object
// that is neutral to bidi and draws the control's name small and dim ("RLO"). One object per
// control keeps every position of the document where it was (code highlighting and selections need
// that); the object's format remembers the original code point, so copying text from the view gives
// back exactly what arrived.
//
// The object handler is registered on a document the first time a control is neutralised in it,
// and is owned by that document.
#pragma once

#include <QCoreApplication>
#include <QObject>
#include <QTextObjectInterface>

#include <optional>

class QTextDocument;

namespace qalam {

class DirectionControlMarks : public QObject, public QTextObjectInterface
{
    Q_OBJECT
    Q_INTERFACES(QTextObjectInterface)

public:
    static constexpr int kObjectType = QTextFormat::UserObject + 0x2E;
    static constexpr int kOriginalProperty = QTextFormat::UserProperty + 0x2E;

    // Replaces every direction control in [from, to) of `document` (to < 0: its end) with a
    // mark; returns how many. Positions do not move.
    static int neutralise(QTextDocument *document, int from = 0, int to = -1);
    // The control a character of a document stood for, if it is a mark.
    static std::optional<char32_t> original(const QTextCharFormat &format);
    // What the mark means, for a tooltip ("Right-to-left override (U+202E): shown, not applied").
    static QString description(char32_t control);

    QSizeF intrinsicSize(QTextDocument *document, int positionInDocument,
                         const QTextFormat &format) override;
    void drawObject(QPainter *painter, const QRectF &rect, QTextDocument *document,
                    int positionInDocument, const QTextFormat &format) override;

private:
    explicit DirectionControlMarks(QObject *parent) : QObject(parent) {}
    static QFont markFont(const QTextFormat &format);
};

} // namespace qalam
