// FieldDirection: a line edit or a label that reads in its own text's direction. An Arabic name
// typed into a field of the English interface reads right to left and aligns right, an English
// one in the Arabic interface left; an empty field (its placeholder) and a text without letters
// take the interface's direction. The direction is TextDirection's (the majority of the words,
// numbers, URLs and paths not counted), as for message paragraphs. Qt's own rule would be the
// widget's direction for a line edit's text and its first strong letter for nothing else.
//
// Attached to its widget, as the widget's child (it goes with it). A line edit follows its
// textChanged and takes the direction as its layout direction (its alignment is leading). A
// QLabel ignores its layout direction for its text: it reads and aligns by the first strong
// letter, so "nginx: تعذّر الاتصال بالخادم" would read left to right; the label gets a mark
// (RLM or LRM) at the start of its text when the majority's direction is not the first strong
// letter's. A label has no change signal: it is looked at when it paints (before its own paint
// event), so every way of setting its text is covered. An interface language change is followed
// too (QEvent::LanguageChange comes after the new direction is set).
#pragma once

#include <QChar>
#include <QObject>
#include <QString>
#include <Qt>

class QLabel;
class QLineEdit;
class QWidget;

namespace qalam {

class FieldDirection : public QObject
{
    Q_OBJECT

public:
    static FieldDirection *follow(QLineEdit *edit);
    static FieldDirection *follow(QLabel *label);

    // The direction `text` is shown in: its own, or the interface's without words.
    static Qt::LayoutDirection directionFor(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    FieldDirection(QWidget *widget, QLabel *label);
    void update(const QString &text);
    void markLabel(Qt::LayoutDirection interface);

    QWidget *m_widget;
    QLabel *m_label;   // null for a line edit
    QString m_text;    // as last seen (for a label: with the mark added)
    QChar m_addedMark; // the mark this object put before a label's text, if any
    Qt::LayoutDirection m_interface = Qt::LayoutDirectionAuto;
};

} // namespace qalam
